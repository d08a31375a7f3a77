/**
 * The GitHub Actions workflow of a student kit: when the kit is a student's (template) repository,
 * every push and pull request runs the PUBLIC checks with `node check.mjs` — no secrets, no hidden
 * tests, nothing the student cannot already run — writes the report to the job summary and fails
 * when a public check fails. Grading with hidden tests happens on the course's own runner.
 */
export function studentWorkflow(assignment: string, options: { python?: boolean } = {}): string {
  const packages = options.python ? 'bubblewrap python3 python3-numpy' : 'bubblewrap';
  return `# Public checks of "${assignment}" on every push: the same as \`node check.mjs\` on your machine.
# Hidden tests are not here: your instructor grades them separately.
name: mlgrade public checks
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      # Ubuntu 24.04 forbids unprivileged user namespaces through AppArmor; bubblewrap needs them.
      - name: Sandbox (bubblewrap)${options.python ? ', Python and NumPy' : ''}
        run: |
          sudo apt-get update -qq && sudo apt-get install -y -qq ${packages}
          if [ -e /proc/sys/kernel/apparmor_restrict_unprivileged_userns ]; then
            sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0
          fi
      - name: Public checks
        run: node check.mjs --github-summary
`;
}
