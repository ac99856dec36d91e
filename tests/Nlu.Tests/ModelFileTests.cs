using BotEngine.Nlu.Serialization;

namespace BotEngine.Nlu.Tests;

public class ModelFileTests
{
    [Fact]
    public void Save_and_load_give_the_same_predictions()
    {
        var model = new IntentTrainer().Train(TinyData.Examples());
        using var ms = new MemoryStream();
        ModelSerializer.Save(model, ms);
        ms.Position = 0;
        var loaded = ModelSerializer.Load(ms);
        Assert.Equal(model.Labels, loaded.Labels);
        Assert.Equal(model.Metadata.TrainingSetHash, loaded.Metadata.TrainingSetHash);
        foreach (var text in new[] { "where is my parcel", "сменить пароль", "hello there" })
        {
            var a = model.Predict(text);
            var b = loaded.Predict(text);
            Assert.Equal(a.Best!.Intent, b.Best!.Intent);
            Assert.Equal(a.Best.Confidence, b.Best.Confidence, 2);
        }
    }

    [Fact]
    public void Corrupted_file_is_refused()
    {
        var model = new IntentTrainer().Train(TinyData.Examples());
        using var ms = new MemoryStream();
        ModelSerializer.Save(model, ms);
        var bytes = ms.ToArray();
        bytes[bytes.Length / 2] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => ModelSerializer.Load(new MemoryStream(bytes)));
        Assert.Throws<InvalidDataException>(() => ModelSerializer.Load(new MemoryStream(bytes[..100])));
    }
}
