using BotEngine.Nlu.Encoders;
using BotEngine.Nlu.Serialization;

namespace BotEngine.Nlu.Tests;

public sealed class EncoderFeaturesTests(SentenceEncoderFixture fixture) : IClassFixture<SentenceEncoderFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nlu-encoder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Counts the texts that reach the encoder, to see what a cache spares it.</summary>
    private sealed class CountingEncoder(ISentenceEncoder inner) : ISentenceEncoder
    {
        public int Encoded;
        public string Name => inner.Name;
        public int Dimension => inner.Dimension;
        public bool Covers(IEnumerable<string> texts) => inner.Covers(texts);

        public void Encode(string text, Span<float> embedding)
        {
            Interlocked.Increment(ref Encoded);
            inner.Encode(text, embedding);
        }

        public float[][] EncodeBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref Encoded, texts.Count);
            return inner.EncodeBatch(texts, cancellationToken);
        }
    }

    private static List<TrainingExample> English() =>
        TinyData.Examples().Where(e => e.Text.Any(char.IsAsciiLetter)).ToList();

    // paraphrases that share no content word with the phrasings of their intent
    private static readonly (string Text, string Intent)[] Unseen =
    [
        ("could you put me through to a real staff member", "talk_to_human"),
        ("the shipment still hasn't reached me", "delivery_status"),
        ("I'd like to be reimbursed", "refund"),
        ("my login credentials stopped working, new passcode needed", "change_password"),
        ("at what hour does the shop start business", "opening_hours"),
        ("give me a live agent", "talk_to_human"),
        ("reimburse the purchase", "refund"),
    ];

    [Fact]
    public void The_encoder_recognises_paraphrases_the_ngrams_cannot()
    {
        var options = new NluOptions { CalibrationFolds = 0 };
        var with = new IntentTrainer(options with { Encoder = fixture.Encoder }).Train(English());
        var without = new IntentTrainer(options).Train(English());
        int Hits(IntentModel m) => Unseen.Count(u => m.Predict(u.Text).Best!.Intent == u.Intent);
        Assert.Same(fixture.Encoder, with.Vectorizer.Encoder);
        Assert.Equal(without.Vectorizer.Dimension + 384, with.Vectorizer.Dimension);
        Assert.True(Hits(with) >= Unseen.Length - 1, $"with the encoder {Hits(with)} of {Unseen.Length}");
        Assert.True(Hits(with) > Hits(without), $"with {Hits(with)}, without {Hits(without)}");
    }

    [Fact]
    public void A_russian_training_set_leaves_the_english_encoder_out()
    {
        var russian = TinyData.Examples().Where(e => !e.Text.Any(char.IsAsciiLetter)).ToList();
        var model = new IntentTrainer(new NluOptions { Encoder = fixture.Encoder }).Train(russian);
        Assert.Null(model.Vectorizer.Encoder);
        Assert.Equal("refund", model.Predict("хочу вернуть деньги").Best!.Intent);
    }

    [Fact]
    public void In_a_bilingual_set_english_phrasings_get_embeddings_and_russian_messages_skip_the_encoder()
    {
        var counting = new CountingEncoder(fixture.Encoder);
        var examples = TinyData.Examples();
        Assert.True(IntentTrainer.UsesEncoder(counting, examples));
        var model = new IntentTrainer(new NluOptions { Encoder = counting }).Train(examples);
        Assert.Same(counting, model.Vectorizer.Encoder);
        Assert.Equal(English().Count, counting.Encoded);

        counting.Encoded = 0;
        Assert.Equal("refund", model.Predict("верните мне оплату").Best!.Intent);
        Assert.Equal(0, counting.Encoded);
        Assert.Equal("talk_to_human", model.Predict("give me a live agent").Best!.Intent);
        Assert.Equal(1, counting.Encoded);

        // a Russian set with one Latin-letter phrasing does not take the encoder for it
        var russian = TinyData.Examples().Where(e => !e.Text.Any(char.IsAsciiLetter)).Append(new TrainingExample("PIN", "change_password")).ToList();
        Assert.False(IntentTrainer.UsesEncoder(counting, russian));
    }

    [Fact]
    public void A_model_file_names_its_encoder_and_loads_with_it()
    {
        var model = new IntentTrainer(new NluOptions { Encoder = fixture.Encoder }).Train(English());
        using var ms = new MemoryStream();
        ModelSerializer.Save(model, ms);
        ms.Position = 0;
        var asked = new List<string>();
        var loaded = ModelSerializer.Load(ms, name => { asked.Add(name); return fixture.Encoder; });
        Assert.Equal(["minilm"], asked);
        Assert.Equal(model.Vectorizer.Dimension, loaded.Vectorizer.Dimension);
        foreach (var (text, _) in Unseen)
        {
            Assert.Equal(model.Predict(text).Best!.Intent, loaded.Predict(text).Best!.Intent);
            Assert.Equal(model.Predict(text).Best!.Confidence, loaded.Predict(text).Best!.Confidence, 2);
        }

        ms.Position = 0;
        var ex = Assert.Throws<ArgumentException>(() => ModelSerializer.Load(ms, name => SentenceEncoders.Shared(name + "x")));
        Assert.Contains("minilmx", ex.Message);
    }

    [Fact]
    public void A_retrain_embeds_only_the_phrasings_it_has_not_seen()
    {
        var counting = new CountingEncoder(fixture.Encoder);
        var cache = new EmbeddingCache(counting.Name, counting.Dimension);
        var examples = English();
        var options = new NluOptions { Encoder = counting, EmbeddingCache = cache };
        var first = new IntentTrainer(options).Train(examples);
        Assert.Equal(examples.Count, counting.Encoded);

        examples.Add(new TrainingExample("are you open on public holidays", "opening_hours"));
        counting.Encoded = 0;
        var second = new IntentTrainer(options).Train(examples);
        Assert.Equal(1, counting.Encoded);
        Assert.Equal(first.Labels, second.Labels);

        string path = Path.Combine(_dir, "emb.bin");
        cache.Save(path);
        var back = EmbeddingCache.Load(path, counting.Name, counting.Dimension);
        Assert.Equal(cache.Count, back.Count);
        counting.Encoded = 0;
        var again = back.Embed(counting, examples.Select(e => e.Text).ToArray());
        Assert.Equal(0, counting.Encoded);
        Assert.Equal(cache.Embed(counting, [examples[3].Text])[0], again[3]);

        // a cache of another encoder or a damaged file is a miss, not an error
        Assert.Equal(0, EmbeddingCache.Load(path, "other", counting.Dimension).Count);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);
        Assert.Equal(0, EmbeddingCache.Load(path, counting.Name, counting.Dimension).Count);
    }

    [Fact]
    public void The_choosing_trainer_keeps_the_encoder_only_when_it_is_ahead_by_more_than_one_standard_error()
    {
        var examples = English();
        var chooser = new ChoosingTrainer([("no encoder", new NluOptions()), ("minilm", new NluOptions { Encoder = fixture.Encoder })]);
        var model = chooser.Train(examples);
        (double, int) Cv(NluOptions o) => HeldOutChoice.TryScore(new IntentTrainer(o).Train(examples), out var s) ? s : throw new InvalidOperationException("no folds");
        var without = Cv(new NluOptions());
        var with = Cv(new NluOptions { Encoder = fixture.Encoder });
        Assert.Equal(examples.Count, with.Item2);
        bool keep = HeldOutChoice.Pick([(without.Item1, without.Item2, 0), (with.Item1, with.Item2, 2)]) == 1;
        Assert.Equal(keep ? "minilm" : "no encoder", chooser.LastChoice);
        Assert.Equal(keep, model.Vectorizer.Encoder is not null);
    }

    [Fact]
    public void The_encoder_candidates_are_the_configured_weight_first_then_twice_it()
    {
        var options = new NluOptions { Encoder = fixture.Encoder, Features = new NluOptions().Features with { EncoderWeight = 1.5f } };
        var candidates = EncoderCandidates.WithEncoder(options);
        Assert.Equal(["minilm", "minilm x2"], candidates.Select(c => c.Name));
        Assert.Equal([1.5f, 3f], candidates.Select(c => c.Options.Features.EncoderWeight));
        Assert.All(candidates, c => Assert.Same(fixture.Encoder, c.Options.Encoder));
        Assert.Throws<ArgumentException>(() => EncoderCandidates.WithEncoder(new NluOptions()));
    }

    [Fact]
    public void The_choosing_trainer_does_not_train_again_with_an_encoder_the_language_leaves_out()
    {
        var russian = TinyData.Examples().Where(e => e.Text.Any(c => c is >= 'а' and <= 'я')).ToList();
        var reports = new List<string>();
        var withEncoder = new NluOptions { Encoder = fixture.Encoder };
        var chooser = new ChoosingTrainer([("no encoder", new NluOptions()), .. EncoderCandidates.WithEncoder(withEncoder)], reports.Add);
        var model = chooser.Train(russian);
        Assert.Equal("no encoder", chooser.LastChoice);
        Assert.Null(model.Vectorizer.Encoder);
        // one candidate measured: the two with MiniLM would have been n-gram models again
        var report = Assert.Single(reports);
        Assert.Contains("no encoder", report);
        Assert.DoesNotContain("minilm", report);
    }
}
