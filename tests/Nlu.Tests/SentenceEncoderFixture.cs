using BotEngine.Nlu.Encoders;

namespace BotEngine.Nlu.Tests;

/// <summary>One MiniLM encoder for the test classes that use it: loading the 90 MB model takes a second or two.</summary>
public sealed class SentenceEncoderFixture : IDisposable
{
    public OnnxSentenceEncoder Encoder { get; } = OnnxSentenceEncoder.MiniLm();

    public void Dispose() => Encoder.Dispose();
}
