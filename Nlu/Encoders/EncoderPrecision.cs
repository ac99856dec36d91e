namespace BotEngine.Nlu.Encoders;

/// <summary>The arithmetic a served encoder's matrix products run in.</summary>
public enum EncoderPrecision
{
    /// <summary>8-bit weights, one scale per column (<see cref="WeightQuantizer"/>): what the engine and the benchmark run.</summary>
    Int8,

    /// <summary>The model as published, for measuring what the 8-bit weights cost.</summary>
    Float32,
}
