// A stand-in for the AWS CLI's three Secrets Manager calls the VPN scripts make, over files in $FAKE_SECRETS; each
// call's arguments are appended to $FAKE_LOG when set. It insists on the region the scripts must pass (eu-west-3).
import * as fs from "fs";
import * as path from "path";

const SCRIPT = `#!/bin/sh
set -eu
[ -z "\${FAKE_LOG:-}" ] || echo "$*" >> "$FAKE_LOG"
[ "$1" = --region ] && [ "$2" = eu-west-3 ] && shift 2
op="$2"; shift 2; id=""; file=""
while [ "$#" -gt 0 ]; do
  case "$1" in --secret-id) id="$2"; shift 2 ;; --secret-binary) file="\${2#fileb://}"; shift 2 ;; *) shift ;; esac
done
store="$FAKE_SECRETS/$(echo "$id" | tr / _)"
case "$op" in
  list-secret-version-ids) if [ -e "$store" ]; then echo 1; else echo 0; fi ;;
  get-secret-value) base64 -w0 "$store"; echo ;;
  put-secret-value) cp "$file" "$store" ;;
esac
`;

/** Writes `aws` into dir/bin and makes dir/secrets; returns the environment that puts them first. */
export function fakeAws(dir: string): NodeJS.ProcessEnv & { FAKE_SECRETS: string } {
    fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
    fs.mkdirSync(path.join(dir, "secrets"), { recursive: true });
    fs.writeFileSync(path.join(dir, "bin", "aws"), SCRIPT, { mode: 0o755 });
    return {
        ...process.env,
        PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
        FAKE_SECRETS: path.join(dir, "secrets"),
    };
}
