/**
 * `mlgrade classroom`: pull-request grading that keeps hidden tests hidden. The course's private
 * repository fetches students' repositories onto its own runner (`classroomFetch`), grades them
 * there with `mlgrade grade`, and posts each student's view back (`classroomPost`); the CLI's
 * definitions are `registerClassroomCommands`.
 */
export { classroomFetch, parseSince, type ClassroomFetchOptions, type ClassroomFetchReport } from './fetch';
export { classroomPost, type ClassroomPostOptions, type ClassroomPostReport, type PostOutcome } from './post';
export {
  registerClassroomCommands,
  classroomFetchCommand,
  classroomPostCommand,
  classroomFetchSpec,
  classroomPostSpec,
  classroomBuilder,
  CLASSROOM_GROUP,
  type ClassroomCommandSpec,
  type RunCommand,
  type ClassroomIo,
} from './commands';
export { parseRoster, readRoster, type Roster, type RosterEntry, type RosterRepository } from './roster';
export { readManifest, type ClassroomManifest, type ManifestEntry, type FetchedEntry } from './manifest';
export { studentComment, commitStatus, commentMarker } from './comment';
export { RestClient, RecordingApi, GitHubApiError, type GitHubApi } from './githubApi';
export { githubSettings, type GitHubSettings } from './settings';
export { ClassroomUsageError } from './errors';
