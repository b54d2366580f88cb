namespace Vats.Worker.Tests.Support;

/// <summary>Where the tests find the worker executable and the xsnap driver.</summary>
internal static class TestPaths
{
    public static string Root => Checkout.Root;

    /// <summary>The worker's apphost, copied next to the tests by the project reference.</summary>
    public static string Worker => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "vats-worker.exe" : "vats-worker");

    /// <summary>The Node package that drives the worker with the real <c>@agoric/xsnap</c>.</summary>
    public static string XsnapDriver => Path.Combine(Root, "tests", "Vats.Worker.Tests", "xsnap-driver");
}
