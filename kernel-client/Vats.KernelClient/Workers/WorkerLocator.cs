namespace Vats.KernelClient;

/// <summary>
/// Finds the worker executable: an explicit path, else <c>vats-worker</c> next to the application, else the path in
/// the <c>VATS_WORKER_PATH</c> environment variable. Where only <c>vats-worker.dll</c> is found it runs under the
/// current <c>dotnet</c> host.
/// </summary>
public static class WorkerLocator
{
    /// <summary>The environment variable naming the worker when it is not next to the application.</summary>
    public const string EnvironmentVariable = "VATS_WORKER_PATH";

    /// <summary>File name of the worker executable (the apphost; <c>.exe</c> on Windows).</summary>
    public static string ExecutableName => OperatingSystem.IsWindows() ? "vats-worker.exe" : "vats-worker";

    /// <summary>
    /// The program to start and the arguments that come before the worker's own, for <paramref name="explicitPath"/> or
    /// the first place that has the worker. Throws <see cref="FileNotFoundException"/> naming every place looked at.
    /// </summary>
    public static (string Program, IReadOnlyList<string> LeadingArguments) Locate(string? explicitPath = null)
    {
        var tried = new List<string>();
        if (explicitPath is not null)
        {
            if (Resolve(explicitPath) is { } found) return found;
            throw new FileNotFoundException($"the vats worker was not found at {explicitPath}", explicitPath);
        }
        var nextToApp = Path.Combine(AppContext.BaseDirectory, ExecutableName);
        tried.Add(nextToApp);
        if (Resolve(nextToApp) is { } local) return local;
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (fromEnvironment is { Length: > 0 })
        {
            tried.Add($"{fromEnvironment} (from {EnvironmentVariable})");
            if (Resolve(fromEnvironment) is { } configured) return configured;
        }
        else
        {
            tried.Add($"${EnvironmentVariable} (not set)");
        }
        throw new FileNotFoundException(
            $"the vats worker executable was not found; looked at: {string.Join(", ", tried)}. Reference the Vats.Worker project " +
            $"(or copy its build output next to the application), or set {EnvironmentVariable}.");
    }

    private static (string, IReadOnlyList<string>)? Resolve(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, ExecutableName);
        if (File.Exists(path) && !path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return (Path.GetFullPath(path), []);
        var dll = path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? path : Path.ChangeExtension(path, ".dll");
        if (OperatingSystem.IsWindows() && path.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)) dll = path[..^4] + ".dll";
        if (!File.Exists(dll)) return null;
        return (DotnetHost(), [Path.GetFullPath(dll)]);
    }

    /// <summary>The running <c>dotnet</c> host when this process is one, else <c>dotnet</c> on the PATH.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? current : "dotnet";
    }
}
