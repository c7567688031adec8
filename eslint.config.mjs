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
        },
    },
    {
        files: ["tests/**/*.ts"],
        rules: {
            // Specs index into captured inputs and parsed exports: a wrong shape fails the assertion that reads it.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-return": "off",
            // Their patterns copy the report's aligned columns as printed.
            "no-regex-spaces": "off",
        },
    },
);
