/**
 * The files of a new course repository (`mlgrade init`), as text. Pure: nothing is written here.
 */

export interface CourseOptions {
  /** npm package name of the course (lower-case). */
  name: string;
  /** mlgrade's version, for the devDependency range. */
  mlgradeVersion: string;
}

const gitignore = `node_modules/
# Grading output and student kits are built, not kept in the repository.
out/
kits/
work/
`;

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node', 'jest'],
  },
  include: ['graders', 'reference', 'assignments/*/mutants.ts'],
};

function readme(name: string): string {
  return `# ${name}

Assignments graded with [mlgrade](https://www.npmjs.com/package/mlgrade).

\`\`\`sh
npm install                     # mlgrade and TypeScript's types
npx mlgrade new hinge           # a new assignment (a Huber loss to edit into yours)
npx mlgrade validate hinge      # reference 100 %, every mutant and fault example caught
npx mlgrade grade hinge submissions/ --out out/hinge     # a class (folders, or an LMS zip)
npx mlgrade dist hinge --out kits/hinge                  # the student kit: handout, starter, node check.mjs
\`\`\`

| folder | what |
|---|---|
| \`assignments/<id>/\` | \`assignment.json\` (spec), \`README.md\` (handout), \`starter/\`, \`examples/<named-after-its-fault>/\`, \`mutants.ts\` |
| \`reference/\` | reference solutions (TypeScript, never given to students) |
| \`graders/<id>/\` | grading suites (\`mlgrade/suite\`), with their public and hidden checks |
| \`.github/workflows/grade-class.yml\` | grades students' repositories on this (private) repository's runner and posts their feedback |

Keep this repository **private**: it holds the reference solutions and the hidden tests. Students
get a kit (\`mlgrade dist\`), which holds neither.

\`npm test\` type-checks the suites and references and validates every assignment.
`;
}

const roster = `# One student per line: their GitHub login and the repository holding their work (owner/name,
# or its URL). GitHub Classroom's grades CSV works too (with --org). See \`npx mlgrade classroom fetch --help\`.
github_username,repository
`;

const gradeWorkflow = `# Grades every student's repository with the hidden tests, on THIS repository's runner: students
# cannot change this workflow, and the hidden tests and reference never reach their repositories.
# Needs a GitHub App installed on the organisation with the repository permissions Contents: read,
# Pull requests: write and Commit statuses: write — its id in the variable MLGRADE_APP_ID, its
# private key in the secret MLGRADE_APP_KEY (secrets of this private repository only) — and the
# assignment a scheduled run grades in the variable MLGRADE_ASSIGNMENT. roster.csv lists the
# students' repositories (or use GitHub Classroom's grades CSV with --org).
name: Grade students' repositories
on:
  schedule:
    - cron: '23 */2 * * *'
  workflow_dispatch:
    inputs:
      assignment:
        description: Assignment id (a folder of assignments/)
        required: true
permissions:
  contents: read
# One grading run at a time: two would post to the same comments.
concurrency:
  group: grade-class
  cancel-in-progress: false
jobs:
  grade:
    runs-on: ubuntu-24.04
    timeout-minutes: 60
    env:
      ASSIGNMENT: \${{ inputs.assignment || vars.MLGRADE_ASSIGNMENT }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - name: Sandbox tools (bubblewrap; Ubuntu 24.04 restricts unprivileged user namespaces)
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq bubblewrap
          sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0
      - run: npm ci
      - uses: actions/create-github-app-token@v1
        id: fetch-token
        with:
          app-id: \${{ vars.MLGRADE_APP_ID }}
          private-key: \${{ secrets.MLGRADE_APP_KEY }}
          owner: \${{ github.repository_owner }}
      - name: Fetch each student's latest commit and open pull requests
        run: npx mlgrade classroom fetch --roster roster.csv --out work/repos --include-prs
        env:
          GH_TOKEN: \${{ steps.fetch-token.outputs.token }}
      # No token in this step's environment; --require-isolation stops rather than grade without the sandbox.
      - name: Grade with the hidden tests (the sandbox has no token, no network, no hidden files)
        run: npx mlgrade grade "$ASSIGNMENT" work/repos/submissions --out work/grades --require-isolation
      # A fresh token: an installation token lasts one hour, and grading a large class takes a while.
      - uses: actions/create-github-app-token@v1
        id: post-token
        with:
          app-id: \${{ vars.MLGRADE_APP_ID }}
          private-key: \${{ secrets.MLGRADE_APP_KEY }}
          owner: \${{ github.repository_owner }}
      - name: Post each student's view of the result (public details, hidden tests as pass/fail)
        run: npx mlgrade classroom post work/grades --manifest work/repos/manifest.json
        env:
          GH_TOKEN: \${{ steps.post-token.outputs.token }}
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: grades-\${{ env.ASSIGNMENT }}
          path: |
            work/grades
            work/repos/manifest.json
          retention-days: 30
`;

/**
 * The files of a new course, relative to its folder.
 *
 * @example
 * Object.keys(courseFiles({ name: 'ml-101', mlgradeVersion: '0.2.0' })) // returns ['package.json', 'tsconfig.json', …]
 */
export function courseFiles(options: CourseOptions): Record<string, string> {
  const pkg = {
    name: options.name,
    private: true,
    description: 'Machine-learning assignments graded with mlgrade',
    scripts: {
      typecheck: 'tsc --noEmit',
      validate: 'mlgrade validate --all',
      test: 'npm run typecheck && npm run validate',
    },
    devDependencies: {
      mlgrade: `^${options.mlgradeVersion}`,
      typescript: '~5.9.3',
      '@types/jest': '^30.0.0',
      '@types/node': '^20.19.0',
    },
  };
  return {
    'package.json': JSON.stringify(pkg, null, 2) + '\n',
    'tsconfig.json': JSON.stringify(tsconfig, null, 2) + '\n',
    '.gitignore': gitignore,
    'README.md': readme(options.name),
    'roster.csv': roster,
    'assignments/.gitkeep': '',
    'reference/.gitkeep': '',
    'graders/.gitkeep': '',
    '.github/workflows/grade-class.yml': gradeWorkflow,
  };
}
