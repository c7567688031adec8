// The program composes components through what they expose: it never asks which class it holds (EFS or the NFS
// server: their SharedStorage contract answers) nor takes an ARN apart for a fact its owner can give (the search
// domain's metrics key). A guard over infra/'s text, line by line.
import * as assert from "assert";
import { filesUnder, linesOf } from "../helpers/tree";

const lines = linesOf(filesUnder("infra").filter((f) => f.endsWith(".ts")));
const offending = (pattern: RegExp) =>
    lines.filter((l) => pattern.test(l.text)).map((l) => `${l.where}: ${l.text.trim()}`);

describe("infra/ composes components through their contracts", () => {
    it("branches on no component's class", () => {
        assert.deepStrictEqual(offending(/\binstanceof\b/), []);
    });

    it("compares the shared storage's kind nowhere: the configuration picks a builder, the contract does the rest", () => {
        assert.deepStrictEqual(offending(/[!=]==?\s*["'](efs|nfs)["']|["'](efs|nfs)["']\s*[!=]==?/), []);
    });

    it("takes no ARN apart (split on ':' or '/', or a pattern over arn:...): the component that owns it exposes the fact", () => {
        assert.deepStrictEqual(
            offending(
                /\.split\(\s*["'`][:/]["'`]\s*\)|\/[^/\n]*arn:[^/\n]*\/[gimsuy]*\.(test|exec)|\.(match|exec|replace)\([^)]*arn/i,
            ),
            [],
        );
    });
});
