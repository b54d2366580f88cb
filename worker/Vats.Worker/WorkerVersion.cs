using System.Reflection;
using Vats.QuickJs.Native;

namespace Vats.Worker;

/// <summary>The worker's version and the engine it runs.</summary>
internal static class WorkerVersion
{
    internal static string Version { get; } =
        typeof(WorkerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    internal static string Describe() => $"vats-worker {Version} (QuickJS {QuickJsBinary.Package}, wasm sha256 {QuickJsBinary.Sha256})";
}
