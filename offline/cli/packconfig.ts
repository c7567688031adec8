import * as fs from "fs";
import { RunContext } from "../analyzer";

/** `--policy-pack-config FILE` values, paired with `--policy-pack` by position as the CLI pairs them. */
export function readPackConfigs(files: readonly string[]): RunContext["packConfig"][] {
    return files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as RunContext["packConfig"]);
}
