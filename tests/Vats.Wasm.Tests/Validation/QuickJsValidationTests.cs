using Vats.Wasm.Binary;
using Vats.Wasm.Tests.TestSupport;
using Vats.Wasm.Validation;

namespace Vats.Wasm.Tests.Validation;

public sealed class QuickJsValidationTests
{
    [Test]
    public void PinnedQuickJsModuleIsValid()
    {
        var module = ModuleDecoder.Decode(QuickJsWasm.Bytes);
        Assert.That(module.Codes, Has.Count.GreaterThan(1000));
        Assert.DoesNotThrow(() => ModuleValidator.Validate(module));
    }
}
