using Vats.Wasm.Binary;
using Vats.Wasm.Model;

namespace Vats.Wasm.Validation;

/// <summary>One entry of the validator's control stack (spec appendix: "ctrl_frame").</summary>
internal struct ControlFrame
{
    /// <summary>block, loop, if, else; the function's own frame uses block.</summary>
    public Opcode Kind;

    /// <summary>Types the block takes from the operand stack.</summary>
    public ValType[] StartTypes;

    /// <summary>Types the block leaves on the operand stack.</summary>
    public ValType[] EndTypes;

    /// <summary>Operand stack height when the block was entered (after its parameters were popped).</summary>
    public int Height;

    /// <summary>True after an unconditional branch: the rest of the block sees a polymorphic stack.</summary>
    public bool Unreachable;

    /// <summary>Types a branch to this label must supply: a loop branches back to its start.</summary>
    public readonly ValType[] LabelTypes => Kind == Opcode.Loop ? StartTypes : EndTypes;
}
