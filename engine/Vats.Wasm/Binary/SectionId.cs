namespace Vats.Wasm.Binary;

// Section ids of the binary format.
internal enum SectionId : byte
{
    Custom = 0,
    Type = 1,
    Import = 2,
    Function = 3,
    Table = 4,
    Memory = 5,
    Global = 6,
    Export = 7,
    Start = 8,
    Element = 9,
    Code = 10,
    Data = 11,
    DataCount = 12,
}

internal static class SectionOrder
{
    /// <summary>
    /// Position of a known section in the required order. The data count section (id 12) sits between
    /// the element and code sections, so ids alone do not give the order.
    /// </summary>
    public static int Rank(SectionId id) => id switch
    {
        SectionId.DataCount => 10,
        SectionId.Code => 11,
        SectionId.Data => 12,
        _ => (int)id,
    };
}
