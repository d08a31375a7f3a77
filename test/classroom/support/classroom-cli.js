#!/usr/bin/env node
/**
 * Runs `mlgrade classroom …` from the built definitions (dist/src/classroom/commands.js) on a fresh
 * yargs instance set up as the main CLI sets up its own (strict, help, the same fail handler and
 * exit codes), so tests can drive the commands as a user would before the lead registers them in
 * src/cli/main.ts. Usage: node test/classroom/support/classroom-cli.js classroom fetch --roster …
 */
const yargs = require('yargs');
const { registerClassroomCommands } = require('../../../dist/src/classroom/commands.js');

async function main(argv) {
  let exitCode = 0;
  const run = (task) =>
    task.then((code) => {
      exitCode = code;
    });
  // yargs goes on to run the command's handler when a fail handler returns: throwing stops it.
  const usage = new Error('usage');
  try {
    await registerClassroomCommands(yargs(argv).scriptName('mlgrade').usage('$0 <command> [options]'), run)
      .demandCommand(1, 'Name a command (see --help).')
      .strict()
      .help()
      .fail((message, error, y) => {
        if (error) throw error;
        process.stderr.write(`${y.help()}\n\nmlgrade: ${message}\n`);
        throw usage;
      })
      .parseAsync();
  } catch (error) {
    if (error !== usage) throw error;
    return 2;
  }
  return exitCode;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
