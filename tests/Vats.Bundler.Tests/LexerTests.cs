using Vats.Bundler.Lexing;

namespace Vats.Bundler.Tests;

[TestFixture]
public sealed class LexerTests
{
    private static List<string> Kinds(string source, TokenKind kind)
    {
        var (tokens, _) = JsLexer.Tokenize(source, "test.js");
        return tokens.Where(t => t.Kind == kind).Select(t => t.Text(source)).ToList();
    }

    [TestCase("a / b / c", 0)]
    [TestCase("x = /re/g.test(y)", 1)]
    [TestCase("if (a) /re/.test(b)", 1)]
    [TestCase("f(a) / 2", 0)]
    [TestCase("return /x/", 1)]
    [TestCase("a.return / 2", 0)]
    [TestCase("arr[0] / 2", 0)]
    [TestCase("i++ / 2", 0)]
    [TestCase("x = {a: 1} / 2", 0)]
    [TestCase("{}\n/re/.test(s)", 1)]
    [TestCase("`${a}` / 2", 0)]
    [TestCase("`${ /re/.source }`", 1)]
    [TestCase("/[/]/.source", 1)]
    [TestCase("typeof /x/", 1)]
    public void TellsRegexFromDivision(string source, int regexCount)
    {
        Assert.That(Kinds(source, TokenKind.Regex), Has.Count.EqualTo(regexCount));
    }

    [Test]
    public void FollowsNestedTemplates()
    {
        const string source = "`a ${ `b ${ { c: `d` }.c } }` } e` + 1";
        var templates = Kinds(source, TokenKind.Template);
        Assert.That(templates, Is.EqualTo(new[] { "`a ${", "`b ${", "`d`", "} }`", "} e`" }));
        Assert.That(Kinds(source, TokenKind.Number), Is.EqualTo(new[] { "1" }));
    }

    [Test]
    public void KeepsCommentsApartFromTokens()
    {
        const string source = "a // line ` ' \n /* block */ b";
        var (tokens, comments) = JsLexer.Tokenize(source, "test.js");
        Assert.That(tokens.Where(t => t.Kind == TokenKind.Identifier).Select(t => t.Text(source)), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(comments, Has.Count.EqualTo(2));
        Assert.That(tokens[1].NewlineBefore, Is.True);
    }

    [Test]
    public void MarksClassBodies()
    {
        const string source = "class A extends f({x: 1}) { y = 2; m() { z = 3; } }";
        var (tokens, _) = JsLexer.Tokenize(source, "test.js");
        Assert.That(tokens.Single(t => t.Text(source) == "y").InClassBody, Is.True);
        Assert.That(tokens.Single(t => t.Text(source) == "z").InClassBody, Is.False);
        Assert.That(tokens.Single(t => t.Text(source) == "x").InClassBody, Is.False);
    }

    [TestCase("'abc", "1:1: unterminated string literal")]
    [TestCase("a = `x", "1:5: unterminated template literal")]
    [TestCase("f(\n  /* x", "2:3: unterminated comment")]
    [TestCase("x = 1)", "1:6: unexpected ')'")]
    public void ReportsLineAndColumn(string source, string expected)
    {
        Assert.That(() => JsLexer.Tokenize(source, "f.js"),
            Throws.TypeOf<BundleException>().With.Message.EqualTo("f.js:" + expected));
    }
}
