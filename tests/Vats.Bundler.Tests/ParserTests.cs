using Vats.Bundler.Parsing;
using Vats.QuickJs;

namespace Vats.Bundler.Tests;

[TestFixture]
public sealed class ParserTests
{
    [TestCase("exports.a = 1;\nif (exports.a) return;\n", false)]
    [TestCase("import x from './x.js';\nexport default x;\n", true)]
    [TestCase("export const a = 1;\n", true)]
    [TestCase("export const a = f(;);\n", true)]
    [TestCase("const m = import.meta;\n", true)]
    [TestCase("const load = () => import('./x.js');\n", false)]
    [TestCase("const o = { import: 1, export: 2 };\nmodule.exports = o;\n", false)]
    public void TellsModulesFromCommonJs(string source, bool isModule)
    {
        bool detected;
        try
        {
            detected = JsParser.Detect(source, "f.js").IsModule;
        }
        catch (JsSyntaxException e)
        {
            detected = e.Kind == SourceKind.Module;
        }
        Assert.That(detected, Is.EqualTo(isModule));
    }

    [Test]
    public void SyntaxErrorsCarryFileLineAndColumn()
    {
        var e = Assert.Throws<JsSyntaxException>(() => JsParser.Module("export const a = 1;\nconst b = 'oops;\n", "dir/f.js"))!;
        Assert.That(e.Error.Message, Is.EqualTo("dir/f.js:2:11: SyntaxError: Invalid or unexpected token"));
        Assert.That(e.Kind, Is.EqualTo(SourceKind.Module));
    }

    [Test]
    public void CommonJsIsAStrictFunctionBody()
    {
        Assert.That(JsParser.CommonJs("if (module) return;\nconst t = new.target;\n", "c.js").IsModule, Is.False);
        var e = Assert.Throws<JsSyntaxException>(() => JsParser.CommonJs("with (o) {}\n", "c.js"))!;
        Assert.That(e.Error.Message, Does.StartWith("c.js:1:1: SyntaxError: "));
    }

    [Test]
    public void RecordsLiteralContentsCommentsAndHtmlLookalikes()
    {
        const string source = "// c\nlet s = 'a' + `b${x}c` + /d/g; /* e */ y-->z; y<!--z;";
        var parsed = JsParser.Module(source, "f.js");
        Assert.That(parsed.LiteralContents.Select(r => source[r.Start..r.End]), Is.EqualTo(new[] { "a", "b", "c", "d" }));
        Assert.That(parsed.Comments.Select(c => source[c.Range.Start..c.Range.End]), Is.EqualTo(new[] { "// c", "/* e */" }));
        Assert.That(parsed.HtmlLookalikes.Select(at => source[(at - 1)..(at + 1)]), Is.EqualTo(new[] { "->", "<!" }));
    }

    [Test]
    public void DeepNestingIsAnErrorNotACrash()
    {
        string source = "export const v = " + new string('[', 100_000) + new string(']', 100_000) + ";\n";
        // On a thread with a small stack, so that the depth at which the parser gives up does not depend on the runner.
        Exception? thrown = null;
        var thread = new Thread(() => thrown = Catch(() => JsParser.Module(source, "deep.js")), 1 << 20);
        thread.Start();
        thread.Join();
        Assert.That(thrown, Is.TypeOf<JsSyntaxException>());
        Assert.That(((JsSyntaxException)thrown!).Error.Message, Is.EqualTo("deep.js: SyntaxError: nesting too deep to bundle"));
    }

    private static Exception? Catch(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
