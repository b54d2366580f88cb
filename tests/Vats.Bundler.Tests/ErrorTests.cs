namespace Vats.Bundler.Tests;

/// <summary>Bad input fails with file:line:column and writes nothing.</summary>
[TestFixture]
public sealed class ErrorTests
{
    private TempPackage _package = null!;

    [SetUp]
    public void SetUp() => _package = new TempPackage("err");

    [TearDown]
    public void TearDown() => _package.Dispose();

    private string Write(string name, string text) => _package.Write(name, text);

    [Test]
    public void UnresolvedImportReportsItsLocation()
    {
        string entry = Write("main.js", "// first line\nimport { x } from './missing.js';\nexport default x;\n");
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Match(@"main\.js:2:19: cannot resolve './missing.js'"));
    }

    [Test]
    public void UnterminatedStringReportsItsLocation()
    {
        string entry = Write("main.js", "export const a = 1;\n  const b = 'oops;\n");
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Match(@"main\.js:2:13: SyntaxError: unexpected end of string$"));
    }

    [Test]
    public void UnbalancedBracketIsASyntaxError()
    {
        string entry = Write("main.js", "export function f() {\n  return [1, 2;\n}\n");
        Assert.That(() => Bundle.Create(entry), Throws.TypeOf<BundleException>().With.Message.Contains("main.js:"));
    }

    // Both the parser and QuickJS judge every module; where both reject it, the engine's message is reported.
    [TestCase("export const o = { a: 1\n  b: 2 };\nexport const p = { c: 1 d: 2 };\n", "main.js:2:3: SyntaxError: expecting '}'")]
    [TestCase("const = 5;\n", "main.js:1:7: SyntaxError: variable name expected")]
    [TestCase("export default f(1) 2;\n", "main.js:1:21: SyntaxError: expecting ';'")]
    // QuickJS lets this one through; the parser does not.
    [TestCase("export const s = 'a' 'b';\n", "main.js:1:22: SyntaxError: Unexpected string")]
    public void GrammarErrorsAreReported(string source, string expected)
    {
        string entry = Write("main.js", source);
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.EndWith(expected));
    }

    [Test]
    public void DynamicImportIsRejectedClearly()
    {
        string entry = Write("main.js", "export const load = () =>\n    import('./x.js');\n");
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Match(@"main\.js:2:5: dynamic import\(\) is not supported"));
    }

    [Test]
    public void TopLevelAwaitIsRejectedClearly()
    {
        string entry = Write("main.js", "const v = 1;\nexport const w = await Promise.resolve(v);\n");
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Contain("main.js:2:18: top-level await is not supported"));
    }

    [Test]
    public void HostModulesAreRejectedAtBundleTime()
    {
        string entry = Write("main.js", "import fs from 'node:fs';\nexport default fs;\n");
        var e = Assert.Throws<BundleException>(() => Bundle.Create(entry))!;
        Assert.That(e.Message, Does.Contain("main.js:1:16: cannot bundle host module 'node:fs'"));
    }

    [Test]
    public void FailedBundleLeavesNoOutputFile()
    {
        string entry = Write("main.js", "import './nope.js';\n");
        string output = Path.Combine(_package.Directory.FullName, "out.bundle");
        Assert.Throws<BundleException>(() => Bundle.Create(entry).WriteTo(output));
        Assert.That(Directory.GetFiles(_package.Directory.FullName, "out.bundle*"), Is.Empty);
    }

    [Test]
    public void WriteToWritesBundleAndSha256()
    {
        string entry = Write("main.js", "export default 1;\n");
        string output = Path.Combine(_package.Directory.FullName, "ok.bundle");
        var bundle = Bundle.Create(entry);
        bundle.WriteTo(output);
        Assert.That(File.ReadAllBytes(output), Is.EqualTo(bundle.Utf8));
        Assert.That(File.ReadAllText(output + ".sha256"), Is.EqualTo(bundle.Sha256Hex + "\n"));
        Assert.That(bundle.Sha256Hex, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(bundle.Id, Is.EqualTo("b0-" + bundle.Sha256Hex));
        Assert.That(Directory.GetFiles(_package.Directory.FullName, "*.tmp-*"), Is.Empty);
    }
}
