// Type-aware lint of everything tsconfig.json type-checks (npm run lint). One program for all files: the root
// tsconfig.json already includes the packs and the fixtures, and the project service would build one per nearest
// tsconfig (each pack's, each fixture pack's) at half again the memory.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
    { ignores: ["third-party/", ".bench/", "out/"] },
    {
        files: ["**/*.ts"],
        extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
        languageOptions: { parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname } },
        linterOptions: { reportUnusedDisableDirectives: "error" },
        rules: {
            // tsc's noUnusedLocals and noUnusedParameters report these already, and allow the `_` of `{ a: _, ...rest }`.
            "@typescript-eslint/no-unused-vars": "off",
            // These requires load a path known only at run time (the program, a rule file, a package's own manifest).
            "@typescript-eslint/no-require-imports": "off",
            // Resource inputs and policy arguments are `unknown` property bags, printed in messages as they are.
            "@typescript-eslint/restrict-template-expressions": "off",
            "@typescript-eslint/no-base-to-string": "off",
            // Some functions are async only so that a throw reaches the caller as a rejection (main, mock lookups).
            "@typescript-eslint/require-await": "off",
        },
    },
    {
        // Policies read resource props, `any` in @pulumi/policy's API, narrowing each where it is read (typeof,
        // Array.isArray); specs index into captured inputs and parsed exports, where a wrong shape fails the assertion.
        files: ["policies/**/*.ts", "tests/**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-return": "off",
        },
    },
    {
        files: ["tests/**/*.ts"],
        // Their patterns copy the report's aligned columns as printed.
        rules: { "no-regex-spaces": "off" },
    },
);
