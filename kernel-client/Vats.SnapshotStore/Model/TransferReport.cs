namespace Vats.SnapshotStore;

/// <summary>What an export wrote or an import read.</summary>
/// <param name="Snapshots">Snapshots.</param>
/// <param name="TranscriptEntries">Transcript entries.</param>
/// <param name="Bytes">Bytes of the stream.</param>
public sealed record TransferReport(int Snapshots, int TranscriptEntries, long Bytes);
