namespace Vats.Bundler.Tests;

[TestFixture]
public sealed class ResolutionTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("vats-res-");
        Write("package.json", """{"name":"app","version":"1.0.0","type":"module"}""");
        Write("node_modules/dep/package.json", """
            {"name":"dep","version":"3.0.0","type":"module",
             "exports":{".":{"browser":"./browser.js","custom":"./custom.js","default":"./default.js"}},
             "imports":{"#internal":"./internal.js"}}
            """);
        Write("node_modules/dep/custom.js", "export { v } from '#internal'; export const which = 'custom';");
        Write("node_modules/dep/default.js", "export const which = 'default';");
        Write("node_modules/dep/browser.js", "export const which = 'browser';");
        Write("node_modules/dep/internal.js", "export const v = 'internal';");
        Write("main.js", "import { which } from 'dep';\nexport default which;\n");
    }

    [TearDown]
    public void TearDown() => _dir.Delete(true);

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_dir.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string Entry => Path.Combine(_dir.FullName, "main.js");

    [Test]
    public void DefaultConditionsPickDefault()
    {
        var bundle = Bundle.Create(Entry);
        Assert.That(bundle.ModuleCount, Is.EqualTo(2));
        Assert.That(bundle.Json, Does.Contain("dep-v3.0.0/default.js"));
    }

    [Test]
    public void UserConditionsAreMatchedInKeyOrder()
    {
        var bundle = Bundle.Create(Entry, new BundleOptions { Conditions = ["custom", "browser"] });
        Assert.That(bundle.Json, Does.Contain("dep-v3.0.0/browser.js"), "browser comes first in the exports object");
        var custom = Bundle.Create(Entry, new BundleOptions { Conditions = ["custom"] });
        Assert.That(custom.Json, Does.Contain("dep-v3.0.0/custom.js").And.Contain("dep-v3.0.0/internal.js"));
    }

    [Test]
    public void UnexportedSubpathIsAnError()
    {
        Write("main.js", "import x from 'dep/internal.js';\n");
        Assert.That(() => Bundle.Create(Entry), Throws.TypeOf<BundleException>()
            .With.Message.Contains("main.js:1:15: './internal.js' is not exported by package 'dep'"));
    }
}
