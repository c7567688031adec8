// A stand-in for the AWS CLI for the release scripts: `s3 cp` copies into dir/s3/<bucket>/<key> (and out of it),
// every other call is answered from dir/answers/<service>_<operation>[_<query>] (one line a call: a file of several
// lines answers successive calls, the last line repeating; a line `!fail` makes that call fail), and every call's
// arguments are appended to dir/calls.
import * as fs from "fs";
import * as path from "path";

const SCRIPT = `#!/bin/bash
set -euo pipefail
printf '%s\\n' "$*" >> "$FAKE_DIR/calls"
args=()
query=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --region) shift 2 ;;
    --query) query="$2"; shift 2 ;;
    --only-show-errors) shift ;;
    *) args+=("$1"); shift ;;
  esac
done
service="\${args[0]}" op="\${args[1]}"
if [ "$service $op" = "s3 cp" ]; then
  src="\${args[2]}" dst="\${args[3]}"
  to_local() { case "$1" in s3://*) printf '%s/s3/%s' "$FAKE_DIR" "\${1#s3://}" ;; *) printf '%s' "$1" ;; esac; }
  mkdir -p "$(dirname "$(to_local "$dst")")"
  cp "$(to_local "$src")" "$(to_local "$dst")"
  exit 0
fi
answers="$FAKE_DIR/answers/\${service}_\${op}\${query:+_$(printf '%s' "$query" | tr -c 'A-Za-z0-9\\n' _)}"
[ -e "$answers" ] || exit 0
line=$(head -n1 "$answers")
if [ "$(wc -l < "$answers")" -gt 1 ]; then
  sed -i 1d "$answers"
fi
[ "$line" != '!fail' ] || { echo "An error occurred (ThrottlingException)" >&2; exit 1; }
printf '%s\n' "$line"
`;

export interface RecordingAws {
    readonly env: NodeJS.ProcessEnv;
    /** Answers successive calls of `service operation` with `lines` (the last one repeating); `query` names the
     *  call's --query when the script asks the same operation several things. */
    answer(service: string, operation: string, lines: readonly string[], query?: string): void;
    /** The arguments of every call so far, one string each. */
    calls(): string[];
    /** What `s3 cp` put at s3://bucket/key, or undefined. */
    object(bucket: string, key: string): string | undefined;
}

export function recordingAws(dir: string): RecordingAws {
    fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
    fs.mkdirSync(path.join(dir, "answers"), { recursive: true });
    fs.writeFileSync(path.join(dir, "bin", "aws"), SCRIPT, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "calls"), "");
    return {
        env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, FAKE_DIR: dir },
        answer(service, operation, lines, query) {
            const suffix = query === undefined ? "" : `_${query.replace(/[^A-Za-z0-9]/g, "_")}`;
            fs.writeFileSync(path.join(dir, "answers", `${service}_${operation}${suffix}`), `${lines.join("\n")}\n`);
        },
        calls: () => fs.readFileSync(path.join(dir, "calls"), "utf8").split("\n").filter(Boolean),
        object(bucket, key) {
            const file = path.join(dir, "s3", bucket, key);
            return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
        },
    };
}
