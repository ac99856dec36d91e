using BotEngine.Nlu;
using BotEngine.Nlu.Encoders;
using BotEngine.Nlu.Serialization;

namespace BotEngine.Engine.Learning;

/// <summary>A trained classifier as the registry stores it: the model file format of <c>nlu train</c>, when it has one.</summary>
public static class ModelBytes
{
    /// <summary>The model file's bytes, or null for a classifier without a file format.</summary>
    public static byte[]? From(IIntentClassifier classifier)
    {
        if (classifier is not IntentModel model)
            return null;
        using var stream = new MemoryStream();
        ModelSerializer.Save(model, stream);
        return stream.ToArray();
    }

    public static IntentModel Load(byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        return ModelSerializer.Load(stream, SentenceEncoders.Shared);
    }
}
