using System.Numerics.Tensors;
using BotEngine.Nlu.Encoders;

namespace BotEngine.Nlu.Tests;

public sealed class SentenceEncoderTests(SentenceEncoderFixture fixture) : IClassFixture<SentenceEncoderFixture>
{
    private readonly OnnxSentenceEncoder _encoder = fixture.Encoder;

    private float[] Embed(string text)
    {
        var e = new float[_encoder.Dimension];
        _encoder.Encode(text, e);
        return e;
    }

    [Fact]
    public void MiniLm_from_the_package_has_384_dimensions_and_unit_vectors()
    {
        Assert.Equal("minilm", _encoder.Name);
        Assert.Equal(384, _encoder.Dimension);
        Assert.Equal(1f, TensorPrimitives.Norm(Embed("where is my parcel")), 3);
    }

    [Fact]
    public void Each_query_is_nearest_to_its_paraphrase_though_they_share_almost_no_words()
    {
        string[] queries = ["I lost my credit card", "how do I cancel my subscription", "what will the weather be like tomorrow", "book me a table for two tonight", "my parcel never arrived"];
        string[] paraphrases = ["my bank card is missing", "I want to stop paying for the monthly plan", "is it going to rain in the morning", "reserve a restaurant for this evening, two people", "the package I ordered has not been delivered"];
        var p = _encoder.EncodeBatch(paraphrases);
        for (int q = 0; q < queries.Length; q++)
        {
            var e = Embed(queries[q]);
            var sims = p.Select(x => TensorPrimitives.Dot(e, x)).ToArray();
            int nearest = Array.IndexOf(sims, sims.Max());
            Assert.True(nearest == q, $"'{queries[q]}' is nearest to '{paraphrases[nearest]}' ({sims[nearest]:F3}), not '{paraphrases[q]}' ({sims[q]:F3})");
        }
    }

    [Fact]
    public void Similarities_match_those_sentence_transformers_publishes_for_this_model()
    {
        // the quick-start example of sbert.net for all-MiniLM-L6-v2 prints 0.6660, 0.1046 and 0.1411: the float model as
        // published gives them to three places, the 8-bit weights the engine runs to two
        string[] texts = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."];
        using var published = OnnxSentenceEncoder.MiniLm(precision: EncoderPrecision.Float32);
        foreach (var (encoder, tolerance) in new[] { ((ISentenceEncoder)published, 0.002f), (_encoder, 0.02f) })
        {
            var e = encoder.EncodeBatch(texts);
            Assert.Equal(0.6660f, TensorPrimitives.Dot(e[0], e[1]), tolerance);
            Assert.Equal(0.1046f, TensorPrimitives.Dot(e[0], e[2]), tolerance);
            Assert.Equal(0.1411f, TensorPrimitives.Dot(e[1], e[2]), tolerance);
        }

        // and the 8-bit embeddings are not the float ones: the rewrite took place
        Assert.True(TensorPrimitives.Dot(published.EncodeBatch(texts)[0], _encoder.EncodeBatch(texts)[0]) < 0.9999f);
    }

    [Fact]
    public void A_fixed_input_gives_the_same_vector_every_time()
    {
        var a = Embed("transfer 100 euros to my savings account");
        var b = Embed("transfer 100 euros to my savings account");
        Assert.Equal(a, b);
        Assert.NotEqual(a, Embed("transfer 200 euros to my savings account"));
    }

    [Fact]
    public void A_batch_gives_what_one_at_a_time_gives_whatever_the_padding()
    {
        string[] texts = ["hi", "I would like to know why my transfer to another country was declined yesterday", "", "card", "what's my balance?"];
        var batch = _encoder.EncodeBatch(texts);
        Assert.Equal(texts.Length, batch.Length);
        for (int i = 0; i < texts.Length; i++)
        {
            var single = Embed(texts[i]);
            for (int d = 0; d < single.Length; d++)
            {
                Assert.True(Math.Abs(single[d] - batch[i][d]) < 1e-4f, $"text {i} dim {d}: {single[d]} vs {batch[i][d]}");
            }
        }

        Assert.All(batch[2], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_text_longer_than_the_model_takes_is_cut_not_refused()
    {
        string longText = string.Join(' ', Enumerable.Repeat("please check the status of my refund", 60));
        Assert.Equal(1f, TensorPrimitives.Norm(Embed(longText)), 3);
    }

    [Fact]
    public void The_vocabulary_covers_english_and_not_russian()
    {
        Assert.True(_encoder.Covers(["where is my order", "cancel it"]));
        Assert.False(_encoder.Covers(["где мой заказ", "отмени его", "ok"]));
        Assert.False(_encoder.Covers(["", "123"]));
    }

    [Fact]
    public void A_wrongly_sized_buffer_is_refused()
        => Assert.Throws<ArgumentException>(() => _encoder.Encode("hello", new float[10]));
}
