namespace Vats.Supervisor;

/// <summary>
/// An embedded boot bundle is missing, or its bytes do not have the SHA-256 recorded when the assembly was built.
/// Never expected from a correctly built assembly: the bundle would not be the one the build checked.
/// </summary>
public sealed class BootBundleIntegrityException : Exception
{
    internal BootBundleIntegrityException(string bundleName, string? expectedSha256, string? actualSha256, string? message = null)
        : base(message ?? $"the embedded {bundleName} bundle has SHA-256 {actualSha256}, but {expectedSha256} was recorded when Vats.Supervisor was built")
    {
        BundleName = bundleName;
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    /// <summary>Which bundle: <c>lockdown</c> or <c>supervisor</c>.</summary>
    public string BundleName { get; }

    /// <summary>The SHA-256 recorded at build time, or null if it could not be read.</summary>
    public string? ExpectedSha256 { get; }

    /// <summary>The SHA-256 of the embedded bytes, or null if they could not be read.</summary>
    public string? ActualSha256 { get; }
}
