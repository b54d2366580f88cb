namespace Vats.Bundler.Tests;

/// <summary>A throwaway ES-module package folder for tests that write their own sources.</summary>
internal sealed class TempPackage : IDisposable
{
    public TempPackage(string name)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory($"vats-{name}-");
        File.WriteAllText(System.IO.Path.Combine(Directory.FullName, "package.json"), $$"""{"name":"{{name}}","version":"1.0.0","type":"module"}""");
    }

    public DirectoryInfo Directory { get; }

    public string Path(string name) => System.IO.Path.Combine(Directory.FullName, name);

    /// <summary>Writes a file into the package and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = Path(name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(recursive: true);
}
