/**
 * Where GitHub is and who we are to it, from the environment a GitHub Actions runner sets
 * (`GITHUB_SERVER_URL`, `GITHUB_API_URL`, `GITHUB_REPOSITORY_OWNER`) and the token the workflow
 * passes (`GH_TOKEN`, else `GITHUB_TOKEN`). A token is never read from a command-line flag (flags
 * show in process lists and logs).
 */

export interface GitHubSettings {
  /** e.g. `https://github.com`; a `file://` folder of bare repositories stands in for it in tests. */
  serverUrl: string;
  /** e.g. `https://api.github.com`. */
  apiUrl: string;
  token?: string;
  /** The organisation running the workflow: owner of repositories a roster names without one. */
  org?: string;
}

/**
 * The settings of `env`, with GitHub.com's defaults.
 *
 * @example githubSettings({ GH_TOKEN: 'ghs_x' }) // returns { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', token: 'ghs_x' }
 */
export function githubSettings(env: NodeJS.ProcessEnv = process.env): GitHubSettings {
  const token = env.GH_TOKEN || env.GITHUB_TOKEN || undefined;
  return {
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    ...(token ? { token } : {}),
    ...(env.GITHUB_REPOSITORY_OWNER ? { org: env.GITHUB_REPOSITORY_OWNER } : {}),
  };
}
