/**
 * Build kernels.wasm from kernels.c with clang (`deno task kernels`).
 *
 * The built module is committed, so training needs no C toolchain; the test
 * beside this file rebuilds it when clang is installed and checks that the
 * committed binary is exactly what the source gives.
 *
 * @module
 */

/** The clang command line that turns kernels.c into kernels.wasm. */
export function clangArgs(source: string, output: string): string[] {
  return [
    "--target=wasm32",
    "-O3",
    "-msimd128", // 128-bit SIMD
    "-mbulk-memory", // zero-fills as memory.fill, not calls to a libc memset
    "-nostdlib",
    "-fvisibility=hidden",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wl,--no-entry",
    "-Wl,--export-dynamic",
    "-Wl,--import-memory", // run on tfjs's own heap
    "-Wl,--strip-all",
    "-o",
    output,
    source,
  ];
}

/** Where clang is, or null when it is not installed. */
export async function findClang(): Promise<string | null> {
  for (const name of ["clang", "clang-14", "clang-15", "clang-16"]) {
    try {
      const { success } = await new Deno.Command(name, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      })
        .output();
      if (success) return name;
    } catch {
      // not this one
    }
  }
  return null;
}

/**
 * Compile `source` to `output`.
 *
 * @param source The C file.
 * @param output The .wasm file to write.
 * @throws {Error} when clang is missing or the compilation fails, with its message.
 */
export async function buildKernels(source: string, output: string): Promise<void> {
  const clang = await findClang();
  if (clang === null) {
    throw new Error(
      "building kernels.wasm needs clang and lld (Debian: apt-get install clang lld)",
    );
  }
  const { success, stderr } = await new Deno.Command(clang, {
    args: clangArgs(source, output),
    stderr: "piped",
  })
    .output();
  if (!success) throw new Error(`clang failed:\n${new TextDecoder().decode(stderr)}`);
}

if (import.meta.main) {
  const here = (file: string) => new URL(file, import.meta.url).pathname;
  const temp = here("kernels.wasm.tmp");
  await buildKernels(here("kernels.c"), temp);
  await Deno.rename(temp, here("kernels.wasm"));
  console.log(
    `built ${here("kernels.wasm")} (${(await Deno.stat(here("kernels.wasm"))).size} bytes)`,
  );
}
