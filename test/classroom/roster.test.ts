/**
 * Rosters: mlgrade's `github_username,repository` and GitHub Classroom's grades CSV; owner/name,
 * URLs and paths; groups; ids that would share a folder; rows that cannot be fetched keep their
 * student; what is not a roster stops with one line.
 */
import { csvRows } from '../../src/classroom/csvRows';
import { ClassroomUsageError } from '../../src/classroom/errors';
import { parseRoster, resolveRepository } from '../../src/classroom/roster';

const OPTIONS = { serverUrl: 'https://github.com', baseDir: '/course', name: 'roster.csv' };

describe('csvRows', () => {
  test('quoted fields, doubled quotes, CRLF, a BOM, comments and blank lines', () => {
    const text = '\uFEFF# a comment, "with quotes"\r\na,b\r\n\r\n"x, y","say ""hi""\nthere"\r\n';
    expect(csvRows(text)).toEqual([
      { line: 2, cells: ['a', 'b'] },
      { line: 4, cells: ['x, y', 'say "hi"\nthere'] },
    ]);
  });

  test('an unclosed quote names its line', () => {
    expect(() => csvRows('a,b\n"x,y\n')).toThrow(/line 2: a quoted field is never closed/);
  });
});

describe('resolveRepository', () => {
  test('owner/name is a repository of the GitHub server', () => {
    expect(resolveRepository('org/losses-alice', OPTIONS)).toEqual({
      repository: { label: 'org/losses-alice', github: { owner: 'org', name: 'losses-alice' }, remote: 'https://github.com/org/losses-alice.git' },
    });
  });

  test('a URL on the server is the same repository; elsewhere it is only fetched', () => {
    expect(resolveRepository('https://github.com/org/losses-bob.git', OPTIONS)).toMatchObject({ repository: { github: { owner: 'org', name: 'losses-bob' } } });
    const other = resolveRepository('https://gitlab.example/org/bob.git', OPTIONS);
    expect(other).toEqual({ repository: { label: 'https://gitlab.example/org/bob.git', remote: 'https://gitlab.example/org/bob.git' } });
    expect(resolveRepository('file:///srv/git/bob.git', OPTIONS)).toEqual({ repository: { label: 'file:///srv/git/bob.git', remote: 'file:///srv/git/bob.git' } });
  });

  test('paths start with /, ./ or ../ and are relative to the roster', () => {
    expect(resolveRepository('./repos/alice', OPTIONS)).toEqual({ repository: { label: './repos/alice', remote: '/course/repos/alice' } });
    expect(resolveRepository('/srv/alice', OPTIONS)).toEqual({ repository: { label: '/srv/alice', remote: '/srv/alice' } });
  });

  test('a URL with credentials, an option-like value and nonsense are refused with a reason', () => {
    expect(resolveRepository('https://x-access-token:ghs_secret@github.com/org/a', OPTIONS)).toEqual({ problem: expect.stringMatching(/holds credentials/) });
    expect(resolveRepository('--upload-pack=touch /tmp/pwned', OPTIONS)).toEqual({ problem: expect.stringMatching(/starts with "-"/) });
    expect(resolveRepository('just words', OPTIONS)).toEqual({ problem: expect.stringMatching(/neither owner\/name, a URL, nor a path/) });
    expect(resolveRepository('', OPTIONS)).toEqual({ problem: expect.stringMatching(/no repository/) });
  });
});

describe('parseRoster', () => {
  test("mlgrade's roster: one entry per repository, a row that cannot be fetched keeps its student", () => {
    const roster = parseRoster('# students\ngithub_username,repository\nalice,org/losses-alice\nbob,\ncarol,https://user:pw@github.com/org/c\n', OPTIONS);
    expect(roster.format).toBe('mlgrade');
    expect(roster.entries).toEqual([
      { submission: 'alice', students: ['alice'], lines: [3], repository: expect.objectContaining({ label: 'org/losses-alice' }) },
      { submission: 'bob', students: ['bob'], lines: [4], problem: expect.stringMatching(/^line 4: no repository in the roster/) },
      { submission: 'carol', students: ['carol'], lines: [5], problem: expect.stringMatching(/^line 5: .*credentials/) },
    ]);
    expect(JSON.stringify(roster)).not.toContain('user:pw');
  });

  test("GitHub Classroom's grades CSV: owner from --org or the URL, groups become one submission, no repository keeps a row", () => {
    const csv = [
      'assignment_name,assignment_url,starter_code_url,github_username,roster_identifier,student_repository_name,student_repository_url,submission_timestamp,points_awarded,points_available,group_name',
      'losses,u,s,alice,alice@uni,losses-alice,https://github.com/ml-101/losses-alice,2026-11-30,0,100,',
      'losses,u,s,bob,bob@uni,losses-team-x,https://github.com/ml-101/losses-team-x,2026-11-30,0,100,Team X',
      'losses,u,s,dora,dora@uni,losses-team-x,https://github.com/ml-101/losses-team-x,2026-11-30,0,100,Team X',
      'losses,u,s,,erin@uni,,,,0,100,',
    ].join('\n');
    const roster = parseRoster(csv, OPTIONS);
    expect(roster.format).toBe('github-classroom');
    expect(roster.entries.map((e) => [e.submission, e.students, e.repository?.label ?? e.problem])).toEqual([
      ['alice', ['alice'], 'ml-101/losses-alice'],
      ['Team_X', ['bob', 'dora'], 'ml-101/losses-team-x'],
      ['erin_uni', ['erin@uni'], expect.stringMatching(/line 5: no repository in the roster \(has the student accepted the assignment\?\)/)],
    ]);
    // --org wins over the URL's owner, and the repository is on the configured server (a stand-in in tests).
    const standIn = parseRoster(csv, { ...OPTIONS, serverUrl: 'file:///srv/github', org: 'other-org' });
    expect(standIn.entries[0].repository).toEqual({ label: 'other-org/losses-alice', github: { owner: 'other-org', name: 'losses-alice' }, remote: 'file:///srv/github/other-org/losses-alice.git' });
  });

  test('a name only, without --org or URL, is a row problem naming --org', () => {
    const roster = parseRoster('github_username,student_repository_name\nalice,losses-alice\n', OPTIONS);
    expect(roster.entries[0].problem).toMatch(/pass --org/);
  });

  test('ids that would share a folder (also on a case-insensitive disk) get distinct suffixes; PR suffixes cannot collide', () => {
    const roster = parseRoster('github_username,repository,group_name\na,org/r1,Team A\nb,org/r2,team_a\nc,org/r3,c.pr1\n', OPTIONS);
    const ids = roster.entries.map((e) => e.submission);
    expect(ids[0]).toMatch(/^Team_A-[0-9a-f]{8}$/);
    expect(ids[1]).toMatch(/^team_a-[0-9a-f]{8}$/);
    expect(ids[0].toLowerCase()).not.toBe(ids[1].toLowerCase());
    expect(ids[2]).toBe('c_pr1');
  });

  test('what is not a roster stops with one line naming the fix', () => {
    const bad = (text: string) => {
      try {
        parseRoster(text, OPTIONS);
      } catch (error) {
        expect(error).toBeInstanceOf(ClassroomUsageError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad('')).toMatch(/^roster.csv is empty/);
    expect(bad('name,repo\na,b\n')).toMatch(/^roster.csv: line 1 should be a header with the columns github_username,repository/);
    expect(bad('github_username,email\na,b\n')).toMatch(/no repository column/);
    expect(bad('github_username,repository\n')).toMatch(/lists no students/);
  });
});
