namespace Vats.Supervisor;

/// <summary>
/// The supervisor bundle: <c>@agoric/swingset-xsnap-supervisor</c> <c>lib/entry.js</c> (liveslots, and the
/// <c>handleCommand</c> that turns deliveries into liveslots calls and syscalls into <c>issueCommand</c> round trips),
/// bundled from the pinned npm package when Vats.Supervisor was built. A worker evaluates it right after the lockdown
/// bundle. The .NET counterpart of Agoric's <c>getSupervisorBundle</c> and <c>getSupervisorBundleSHA256</c>.
/// </summary>
public static class SupervisorBundle
{
    private const string Name = "supervisor";

    private static readonly Lazy<string> EmbeddedSha256 = new(() => BootBundle.ReadEmbeddedSha256(Name));

    private static readonly Lazy<BootBundle> Embedded = new(() => BootBundle.LoadEmbedded(Name));

    /// <summary>
    /// Lowercase hex SHA-256 of the bundle file, without loading the bundle: the same value as
    /// <see cref="BootBundle.Sha256"/> and as <c>supervisor/Vats.Supervisor/supervisor.bundle.sha256</c>.
    /// </summary>
    public static string Sha256 => EmbeddedSha256.Value;

    /// <summary>The SwingSet bundle id, <c>b0-</c> followed by <see cref="Sha256"/>.</summary>
    public static string BundleId => "b0-" + Sha256;

    /// <summary>
    /// The bundle, loaded from this assembly on the first call (its SHA-256 checked against the one recorded at
    /// build time) and the same instance afterwards.
    /// </summary>
    /// <exception cref="BootBundleIntegrityException">The embedded bundle is missing or its bytes changed.</exception>
    public static BootBundle Get() => Embedded.Value;
}
