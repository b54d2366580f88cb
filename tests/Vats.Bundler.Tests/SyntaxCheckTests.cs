using Vats.Cli.Tests;
using Vats.QuickJs;

namespace Vats.Bundler.Tests;

/// <summary>
/// Grammar errors are found at bundle time by parsing each module and compiling its original text with QuickJS, are
/// reported with file:line:column (the engine's message where both reject it), and fail `vats bundle` without writing anything.
/// </summary>
[TestFixture]
public sealed class SyntaxCheckTests
{
    private TempPackage _package = null!;

    [SetUp]
    public void SetUp() => _package = new TempPackage("syn");

    [TearDown]
    public void TearDown() => _package.Dispose();

    private string Write(string name, string text) => _package.Write(name, text);

    // The parser rejects each case too; the message is the engine's, whose positions a vat's stack traces would show.
    private static readonly object[] GrammarErrors =
    [
        new object[] { "export const v = f(;);\n", "main.js:1:20: SyntaxError: unexpected token in expression: ';'" },
        new object[] { "export const c;\n", "main.js:1:15: SyntaxError: missing initializer for const variable" },
        new object[] { "export class C {\n  constructor() {}\n  constructor() {}\n}\n", "main.js:3:14: SyntaxError: property constructor appears more than once" },
        new object[] { "const x = 1;\nif (x) else {}\n", "main.js:2:8: SyntaxError: unexpected token in expression: 'else'" },
        new object[] { "for (let i of) {}\n", "main.js:1:14: SyntaxError: unexpected token in expression: ')'" },
        new object[] { "export const a = 1;\nreturn a;\n", "main.js:2:1: SyntaxError: return not in a function" },
        new object[] { "export function f(p) {\n  return await p;\n}\n", "main.js:2:10: SyntaxError: unexpected 'await' keyword" },
        new object[] { "export let x = 0;\n(x + 1) = 2;\n", "main.js:2:11: SyntaxError: invalid assignment left-hand side" },
        new object[] { "export class A {\n  m() { super(); }\n}\n", "main.js:2:14: SyntaxError: super() is only valid in a derived class constructor" },
        new object[] { "export let x = 0;\ndelete x;\n", "main.js:2:9: SyntaxError: cannot delete a direct reference in strict mode" },
        new object[] { "const a = 1;\nexport { a, b };\n", "main.js:2:13: SyntaxError: exported variable 'b' does not exist" },
        new object[] { "export const r = /a(/u;\n", "main.js:1:18: SyntaxError: expecting ')'" },
        new object[] { "export const s = '\u00e9\U0001F600'; f(;);\n", "main.js:1:27: SyntaxError: unexpected token in expression: ';'" },
        new object[] { "import { x } from './dep.js';\nexport const y = (x, ) => { x = 1 }; const z = { get a(b) {} };\n", "main.js:2:57: SyntaxError: invalid number of arguments for getter or setter" },
    ];

    [TestCaseSource(nameof(GrammarErrors))]
    public void GrammarErrorIsReportedWithItsLocation(string source, string expected)
    {
        Write("dep.js", "export let x = 0;\n");
        string entry = Write("main.js", source);
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.EndWith(expected));
    }

    [TestCaseSource(nameof(GrammarErrors))]
    public void GrammarErrorFailsTheCliWithoutOutput(string source, string expected)
    {
        Write("dep.js", "export let x = 0;\n");
        string entry = Write("main.js", source);
        string output = Path.Combine(_package.Directory.FullName, "out.bundle");
        var (exit, stdout, stderr) = CliRunner.Run("bundle", entry, "-o", output);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(stderr, Does.Contain(expected));
        Assert.That(stdout, Is.Empty);
        Assert.That(Directory.GetFiles(_package.Directory.FullName, "out.bundle*"), Is.Empty);
        Assert.That(Directory.GetFiles(_package.Directory.FullName, "*.tmp-*"), Is.Empty);
    }

    [Test]
    public void ErrorInADependencyNamesThatFile()
    {
        Write("dep.js", "export const a = 1;\n\nexport function g() {\n  return a + ;\n}\n");
        string entry = Write("main.js", "import { g } from './dep.js';\nexport default g;\n");
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry, new BundleOptions { Format = BundleFormat.EndoZipBase64 }))!;
        Assert.That(e.Message, Does.Match(@"dep\.js:4:14: SyntaxError: unexpected token in expression: ';'$"));
    }

    [Test]
    public void EarlierSyntaxErrorWinsOverLaterFailures()
    {
        // Checks run beside resolution; the error reported is still the first one in load order.
        Write("a.js", "export const a = f(;);\n");
        Write("b.js", "export const b = 'unterminated;\n");
        string entry = Write("main.js", "import { a } from './a.js';\nimport { b } from './b.js';\nimport './missing.js';\nexport default [a, b];\n");
        for (int i = 0; i < 3; i++)
        {
            var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
            Assert.That(e.Message, Does.Match(@"a\.js:1:20: SyntaxError: unexpected token in expression: ';'$"));
        }
        Write("a.js", "export const a = 1;\n");
        var unterminated = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(unterminated.Message, Does.Match(@"b\.js:1:18: SyntaxError: unexpected end of string$"));
        Write("b.js", "export const b = 2;\n");
        var unresolved = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(unresolved.Message, Does.Contain("main.js:3:8: cannot resolve './missing.js'"));
    }

    [Test]
    public void EngineRejectsSyntaxTheParserAccepts()
    {
        // `using` declarations parse (ES2026) but the engine vats run in has no such syntax: the bundle could not load.
        string entry = Write("main.js", "export function f(r) {\n  using x = r;\n  return 1;\n}\n");
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Match(@"main\.js:2:9: SyntaxError: expecting ';'$"));
    }

    [Test]
    public void ParserOnlyErrorsStillWaitForEarlierModules()
    {
        // QuickJS accepts `'a' 'b'`, the parser does not; a QuickJS error in a module loaded earlier still comes first.
        Write("a.js", "export const a = f(;);\n");
        Write("b.js", "export const b = 'a' 'b';\n");
        string entry = Write("main.js", "import { a } from './a.js';\nimport { b } from './b.js';\nexport default [a, b];\n");
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Match(@"a\.js:1:20: SyntaxError: unexpected token in expression: ';'$"));
        Write("a.js", "export const a = 1;\n");
        e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Match(@"b\.js:1:22: SyntaxError: Unexpected string$"));
    }

    [Test]
    public void CommonJsIsCheckedAsAFunctionBodyWithOriginalLocations()
    {
        Write("lib.cjs", "exports.a = 1;\nif (exports.a) return;\nexports.b = f(;);\n");
        string entry = Write("main.js", "import { a } from './lib.cjs';\nexport default a;\n");
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Match(@"lib\.cjs:3:15: SyntaxError: unexpected token in expression: ';'$"));

        Write("lib.cjs", "f(;); exports.a = 1;\n");
        e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Match(@"lib\.cjs:1:3: SyntaxError: unexpected token in expression: ';'$"), "line 1 is shifted by the wrapper");
    }

    [Test]
    public void CommonJsTopLevelReturnAndHashbangAreAccepted()
    {
        Write("lib.cjs", "#!/usr/bin/env node\nexports.a = 2;\nif (exports.a) return;\nexports.a = 3;\n");
        string entry = Write("main.js", "import { a } from './lib.cjs';\nexport default a;\n");
        Assert.That(Bundle.Create(entry).ModuleCount, Is.EqualTo(2));
    }

    [Test]
    public void ModernSyntaxIsAccepted()
    {
        Write("dep.js", "export const base = 1n;\nexport default class {}\n");
        string entry = Write("main.js", """
            import Anonymous, { base } from './dep.js';
            import * as ns from './dep.js';
            export class Counter extends Anonymous {
              static #count = 0;
              #value = 1_000;
              static { Counter.#count += 1; }
              get value() { return this.#value; }
              static has(o) { return #value in o; }
              async *ticks() { for await (const t of [Promise.resolve(1)]) yield t; }
            }
            const re = /(?<year>\d{4})-(?<=\d)(?!x)[\p{L}]+/dgsu;
            let o = { a: { b: null } };
            o.a.c ??= o?.a?.b ?? 2;
            o.a.b ||= 3;
            const { a: { c = 4, ...rest }, ...others } = o;
            const tag = (s, ...v) => s.raw.join('|') + v.length;
            outer: for (const k of Object.keys(o)) { for (;;) { if (k) continue outer; break; } }
            export const values = [base ** 2n, re.source, c, rest, others, tag`x${1}y${`z${2}`}`, ns, import.meta];
            export default async function () { try { await null; } catch { return 0; } finally { /* done */ } }
            """);
        Assert.That(Bundle.Create(entry).ModuleCount, Is.EqualTo(2));
    }

    [Test]
    public void CheckerCompilesWithoutRunningOrLoadingImports()
    {
        using var checker = SyntaxChecker.Create();
        Assert.Multiple(() =>
        {
            Assert.That(checker.Check("import { x } from './missing.js';\nexport * from 'nowhere';\nthrow new Error(x);\n", "m.js", SourceKind.Module), Is.Null);
            Assert.That(checker.Check("while (true) {}", "s.js", SourceKind.Script), Is.Null, "never run, so it cannot hang");
            Assert.That(checker.Check("with (o) {}", "s.js", SourceKind.Script), Is.Null, "a script is sloppy");
            Assert.That(checker.Check("with (o) {}", "c.js", SourceKind.CommonJs), Is.EqualTo(new JsSyntaxError("SyntaxError", "invalid keyword: with", 1, 1)));
            Assert.That(checker.Check("return 1", "s.js", SourceKind.Script)?.Message, Is.EqualTo("return not in a function"));
            Assert.That(checker.Check("a => {", "m.js", SourceKind.Module), Is.EqualTo(new JsSyntaxError("SyntaxError", "unexpected end of input", 1, 7)));
        });
    }

    [Test]
    public void CheckerStaysUsableAcrossManyChecks()
    {
        using var checker = SyntaxChecker.Create();
        for (int i = 0; i < 200; i++)
        {
            Assert.That(checker.Check($"export const v{i} = {i};\nexport function f() {{ return v{i}; }}\n", $"m{i}.js", SourceKind.Module), Is.Null);
            Assert.That(checker.Check($"\nconst v = {i} +;\n", $"e{i}.js", SourceKind.Module)?.Line, Is.EqualTo(2));
        }
        Assert.That(checker.MemoryBytes, Is.LessThan(64L << 20));
    }

    [Test]
    public void DeepNestingIsAnErrorNotACrash()
    {
        using var checker = SyntaxChecker.Create();
        var error = checker.Check("export const v = " + new string('[', 100_000) + new string(']', 100_000) + ";\n", "deep.js", SourceKind.Module);
        Assert.That(error?.Message, Is.EqualTo("stack overflow"));
        Assert.That(checker.Check("export const ok = [[[1]]];\n", "ok.js", SourceKind.Module), Is.Null);
    }
}
