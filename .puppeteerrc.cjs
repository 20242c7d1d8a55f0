// puppeteer comes in only as an optional dependency of the babysitter SDK (a devDependency for the
// orchestrator test), which never drives a browser here: its install must not download Chrome.
// npm 11 still runs the install script that package.json's allowScripts denies (npm 12 will not).
module.exports = { skipDownload: true };
