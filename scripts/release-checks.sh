# shellcheck shell=bash
# The checks scripts/release and scripts/release-image make of a release before any AWS call, sourced by both.

# model/release.ts RELEASE_VERSION: it names S3 keys, tags and executions, and reaches the build's shell steps.
check_version() {
  if ! [[ "$1" =~ ^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$ ]]; then
    echo "--version '$1': use 1 to 64 letters, digits, '.', '_', '+', '-', starting with a letter or digit" >&2
    exit 2
  fi
}

# model/release.ts RunnerInput.commit.
check_commit() {
  if ! [[ "$1" =~ ^[0-9a-f]{7,40}$ ]]; then
    echo "--commit '$1': a git commit id (7 to 40 hexadecimal digits)" >&2
    exit 2
  fi
}
