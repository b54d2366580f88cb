namespace Vats.QuickJs.Tests.Support;

/// <summary>Files of the repository the tests read: the pinned Agoric bundles, the reference host, the probes.</summary>
internal static class TestPaths
{
    public static string Root => Checkout.Root;

    public static string TestsDir => Path.Combine(Root, "tests", "Vats.QuickJs.Tests");

    public static string LockdownBundle => Path.Combine(TestsDir, "node_modules", "@agoric", "xsnap-lockdown", "dist", "lockdown.bundle");

    public static string SupervisorBundle => Path.Combine(TestsDir, "node_modules", "@agoric", "swingset-xsnap-supervisor", "dist", "supervisor.bundle");

    public static string ReferenceHost => Path.Combine(Root, "engine", "Vats.QuickJs", "reference-host", "quickjs-host.cjs");

    public static string Probes => Path.Combine(TestsDir, "Differential", "probes.js");

    public static string GlueFile => Path.Combine(Root, "engine", "Vats.QuickJs", "node_modules", "@jitl", "quickjs-wasmfile-release-sync", "dist", "emscripten-module.cjs");

    /// <summary>Skips the test (with the reason) when an npm-installed file is missing.</summary>
    public static string RequireInstalled(string path) => Checkout.RequireInstalled(path, "the folder holding its package-lock.json");
}
