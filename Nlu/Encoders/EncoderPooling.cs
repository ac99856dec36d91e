namespace BotEngine.Nlu.Encoders;

/// <summary>How a sentence encoder turns its tokens' hidden states into one vector: as the model was trained.</summary>
public enum EncoderPooling
{
    /// <summary>The mean over the real (unpadded) tokens (all-MiniLM-L6-v2).</summary>
    Mean,

    /// <summary>The first token's state, [CLS] (arctic-embed).</summary>
    Cls,
}
