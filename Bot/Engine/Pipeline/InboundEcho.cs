using System.Data.Common;

namespace BotEngine.Engine.Pipeline;

/// <summary>Lets a channel write its own record of the inbound activity in the same transaction (Direct Line's echo).</summary>
public delegate Task InboundEcho(DbConnection connection, DbTransaction transaction, StoredActivity stored, long seq);
