namespace Vats.KernelClient.Tests.Support;

/// <summary>Files of the repository the tests read: the reference scripts and the npm packages they import.</summary>
internal static class TestPaths
{
    public static string Root => Checkout.Root;

    public static string TestsDir => Path.Combine(Root, "tests", "Vats.KernelClient.Tests");

    public static string StringifyProbe => Path.Combine(TestsDir, "Reference", "stringify-probe.mjs");

    public static string MarshalProbe => Path.Combine(TestsDir, "Reference", "marshal-probe.mjs");

    /// <summary>The pinned @endo/marshal the smallcaps tests compare against.</summary>
    public static string MarshalPackage => Path.Combine(TestsDir, "node_modules", "@endo", "marshal", "package.json");
}
