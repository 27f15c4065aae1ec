// Prints the SAS token the official @azure/core-amqp makes for an audience: node sas-token.js <keyName> <key> <audience>
const { createSasTokenProvider } = require("@azure/core-amqp");
const [keyName, key, audience] = process.argv.slice(2);
createSasTokenProvider({ name: keyName, key }).getToken(audience).then((t) => process.stdout.write(t.token, () => process.exit(0)));
