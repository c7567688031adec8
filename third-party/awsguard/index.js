// Pulumi's public AWSGuard pack as its `awsguard-typescript` template creates it (every policy advisory), except the
// three policies that call AWS APIs with the account's credentials (ACM, IAM): they check live state, not the stack,
// and fail without an account. Plain JavaScript, so the pack needs no TypeScript toolchain in this folder.
const { AwsGuard } = require("@pulumi/awsguard");

new AwsGuard({
    all: "advisory",
    acmCertificateExpiration: "disabled",
    iamAccessKeysRotated: "disabled",
    iamMfaEnabledForConsoleAccess: "disabled",
});
