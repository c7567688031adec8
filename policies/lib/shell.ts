// The simple commands of a shell script, as far as a rule needs them to read what a build step runs: words with their
// quotes removed, split at unquoted `;`, `&`, `|`, parentheses and line ends (a backslash-newline joins two lines).
// A quoted word holding a script (`bash -c '...'`, `echo '... nfs4 ...' >> /etc/fstab`) is read as commands too, and
// every line is read on its own, so each line of a here-document counts as a command. No expansion: `$VAR` stays as
// written, which a rule must treat as a value it cannot vouch for.

interface Lexed {
    readonly commands: string[][];
    /** Quoted parts holding whitespace: scripts or lines that are read again as commands. */
    readonly nested: string[];
}

const SEPARATORS = new Set([";", "&", "|", "(", ")"]);

function lexLine(line: string): Lexed {
    const commands: string[][] = [[]];
    const nested: string[] = [];
    let word: string | undefined;
    let quote: "'" | '"' | undefined;
    let quoted = "";
    const endWord = () => {
        if (word !== undefined) {
            commands[commands.length - 1].push(word);
        }
        word = undefined;
    };
    for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quote !== undefined) {
            if (ch === quote) {
                if (/\s/.test(quoted)) {
                    nested.push(quoted);
                }
                quote = undefined;
            } else if (ch === "\\" && quote === '"' && i + 1 < line.length) {
                word += line[++i];
                quoted += line[i];
            } else {
                word += ch;
                quoted += ch;
            }
        } else if (ch === "'" || ch === '"') {
            quote = ch;
            quoted = "";
            word ??= "";
        } else if (ch === "\\" && i + 1 < line.length) {
            word = (word ?? "") + line[++i];
        } else if (/\s/.test(ch)) {
            endWord();
        } else if (ch === "#" && word === undefined) {
            break; // a comment to the end of the line
        } else if (SEPARATORS.has(ch) && !(ch === "&" && (line[i - 1] === ">" || line[i + 1] === ">"))) {
            endWord();
            commands.push([]);
        } else {
            word = (word ?? "") + ch;
        }
    }
    if (quote !== undefined && /\s/.test(quoted)) {
        nested.push(quoted); // a quote left open on this line (it continues on the next): read what it holds
    }
    endWord();
    return { commands: commands.filter((c) => c.length > 0), nested };
}

/** The simple commands of a script, each as its words, with those of the scripts its quoted words hold. */
export function simpleCommands(script: string): string[][] {
    return script
        .replace(/\\\r?\n/g, " ")
        .split(/\r?\n/)
        .flatMap((line) => {
            const { commands, nested } = lexLine(line);
            return [...commands, ...nested.flatMap(simpleCommands)];
        });
}

/** The last segment of a path: the program a word names (`/usr/bin/mount` and `mount` alike). */
export function basename(word: string): string {
    return word.slice(word.lastIndexOf("/") + 1);
}
