using System.Data.Common;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Engine.Pipeline;

public sealed record InboundReceipt(string MessageId, string DialogId, bool Duplicate);
