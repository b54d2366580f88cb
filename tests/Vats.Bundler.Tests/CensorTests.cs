using System.Text.RegularExpressions;
using Vats.Bundler.Transform;

namespace Vats.Bundler.Tests;

[TestFixture]
public sealed class CensorTests
{
    // The regular expressions SES applies to evaluated text (ses/src/transforms.js), as an oracle.
    private static readonly Regex Import = new(@"(^|[^.]|\.\.\.)\bimport(\s*(?:\(|/[/*]))", RegexOptions.ECMAScript);
    private static readonly Regex Html = new(@"(?:<!--|-->)");
    private static readonly Regex Eval = new(@"(^|[^.])\beval(\s*\()", RegexOptions.ECMAScript);

    [TestCase("import('x')", true)]
    [TestCase("import ('x')", true)]
    [TestCase("import\n(x)", true)]
    [TestCase("import// c", true)]
    [TestCase("import /* c */", true)]
    [TestCase("x.import('x')", false)]
    [TestCase("...import(x)", true)]
    [TestCase("reimport(x)", false)]
    [TestCase("$import(x)", true)]
    [TestCase("import x from 'y'", false)]
    [TestCase("a<!--b", true)]
    [TestCase("a-->b", true)]
    [TestCase("a-- >b", false)]
    [TestCase("eval(x)", true)]
    [TestCase("(0,eval)(x)", false)]
    [TestCase("x.eval(y)", false)]
    [TestCase("my_eval(y)", false)]
    [TestCase("$eval (y)", true)]
    [TestCase("evaluate(y)", false)]
    [TestCase("plain text", false)]
    public void ScanAgreesWithSesRegularExpressions(string text, bool rejected)
    {
        bool oracle = Import.IsMatch(text) || Html.IsMatch(text) || Eval.IsMatch(text);
        Assert.That(oracle, Is.EqualTo(rejected), "oracle");
        Assert.That(Censor.FirstRejected(text) is not null, Is.EqualTo(rejected));
    }
}
