/**
 * Build the package for npm: ES modules and `.d.ts` declarations compiled by
 * TypeScript's own `tsc` from the package's sources (its relative `.ts`
 * imports rewritten to `.js`), with a `package.json` made from `deno.json`
 * (name, version, license, the two exports) and the README and licence.
 * TensorFlow.js is not a dependency: the adapter takes the caller's, so it
 * is an optional peer.
 *
 * ```sh
 * deno run -A lib/schedules/npm/build.ts OUT_DIR
 * ```
 *
 * Not part of the published package (`deno.json` excludes `npm/`).
 *
 * @module
 */

/** The TypeScript that compiles the package. */
export const TYPESCRIPT = "npm:typescript@5.9.3";

const PACKAGE = new URL("../", import.meta.url);

/** What {@linkcode buildNpm} wrote. */
export interface NpmBuild {
  /** The output folder. */
  dir: string;
  /** The `package.json` written there. */
  manifest: Record<string, unknown>;
  /** The files written, relative to `dir`, sorted. */
  files: string[];
}

/**
 * Compile the package into `dir` (made if needed; files already there are
 * overwritten).
 *
 * @param dir The output folder.
 * @returns What was written.
 * @throws {Error} When `tsc` fails, with its output.
 */
export async function buildNpm(dir: string): Promise<NpmBuild> {
  await Deno.mkdir(dir, { recursive: true });
  const source = JSON.parse(await Deno.readTextFile(new URL("deno.json", PACKAGE)));
  const entries = Object.values(source.exports as Record<string, string>);
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: "ES2022",
      moduleResolution: "bundler",
      lib: ["ES2022"],
      strict: true,
      declaration: true,
      rewriteRelativeImportExtensions: true,
      rootDir: PACKAGE.pathname,
      outDir: dir,
      types: [],
      skipLibCheck: true,
    },
    files: entries.map((e) => new URL(e, PACKAGE).pathname),
  };
  const scratch = await Deno.makeTempDir({ prefix: "lr-schedules-npm-" });
  try {
    await Deno.writeTextFile(`${scratch}/tsconfig.json`, JSON.stringify(config, null, 2));
    const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-config", `${TYPESCRIPT}/tsc`, "-p", `${scratch}/tsconfig.json`],
      cwd: scratch,
    }).output();
    if (!success) {
      const decode = (b: Uint8Array) => new TextDecoder().decode(b);
      throw new Error(`tsc failed:\n${decode(stdout)}${decode(stderr)}`);
    }
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
  // tsc rewrites the imports of the JavaScript, not those of the declarations
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".d.ts")) continue;
    const path = `${dir}/${entry.name}`;
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(
      path,
      text.replace(/^((?:import|export)\b[^\n]*?from\s+["']\.\/[\w.-]+)\.ts(["'])/gm, "$1.js$2"),
    );
  }
  const exports = Object.fromEntries(
    Object.entries(source.exports as Record<string, string>).map(([key, file]) => {
      const base = file.replace(/\.ts$/, "");
      return [key, { types: `${base}.d.ts`, default: `${base}.js` }];
    }),
  );
  const manifest = {
    name: source.name,
    version: source.version,
    description: "Learning-rate schedules for TypeScript and TensorFlow.js: pure, composable, " +
      "validated, matching PyTorch.",
    license: source.license,
    type: "module",
    exports,
    sideEffects: false,
    peerDependencies: { "@tensorflow/tfjs": ">=4" },
    peerDependenciesMeta: { "@tensorflow/tfjs": { optional: true } },
  };
  await Deno.writeTextFile(`${dir}/package.json`, JSON.stringify(manifest, null, 2) + "\n");
  for (const file of ["README.md", "LICENSE"]) {
    await Deno.copyFile(new URL(file, PACKAGE), `${dir}/${file}`);
  }
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) if (entry.isFile) files.push(entry.name);
  return { dir, manifest, files: files.sort() };
}

if (import.meta.main) {
  const [dir] = Deno.args;
  if (dir === undefined || Deno.args.length !== 1) {
    console.error("usage: deno run -A lib/schedules/npm/build.ts OUT_DIR");
    Deno.exit(2);
  }
  const { files } = await buildNpm(dir);
  console.log(`wrote ${files.length} files to ${dir}`);
}
