namespace Vats.Worker.Tests.Support;

/// <summary>A fresh temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    // Short: a Unix domain socket path must fit in 108 bytes.
    public TempFolder(string prefix = "vwt-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A worker killed a moment ago may still hold a file; the system's temporary folder is cleaned anyway.
        }
    }
}
