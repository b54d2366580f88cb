namespace Vats.Cli.Tests;

/// <summary>
/// What the tests that run the examples as vats share: the examples' npm packages installed, a temporary folder, and
/// the workers' boot images kept in it rather than in the user's cache.
/// </summary>
public abstract class ExampleVatFixture
{
    private readonly string _prefix;

    protected ExampleVatFixture(string prefix) => _prefix = prefix;

    /// <summary>The fixture's temporary folder.</summary>
    protected string Folder { get; private set; } = "";

    protected static string Example(string name) => Path.Combine(Checkout.Root, "examples", name, name + ".js");

    [OneTimeSetUp]
    public void Prepare()
    {
        Checkout.RequireInstalled(Path.Combine(Checkout.Root, "examples", "node_modules", "@endo", "far", "package.json"), "examples");
        Folder = Directory.CreateTempSubdirectory(_prefix).FullName;
        Environment.SetEnvironmentVariable("VATS_BOOT_CACHE", Path.Combine(Folder, "boot-images"));
    }

    [OneTimeTearDown]
    public void Remove()
    {
        Environment.SetEnvironmentVariable("VATS_BOOT_CACHE", null);
        BeforeRemove();
        if (Folder.Length > 0) Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Releases what keeps files in the folder open.</summary>
    protected virtual void BeforeRemove()
    {
    }
}
