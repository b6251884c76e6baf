using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AutomotiveCrm.Domain.Imports.Reading;

namespace AutomotiveCrm.Domain.Imports.Pipeline;

/// <summary>A valid row waiting to be staged; its payload is a slice of the batch's UTF-8 arena.</summary>
internal readonly record struct StagedRow(long LineNumber, string RecordKey, string RowHash, int PayloadStart, int PayloadLength, string RawText);

/// <summary>One problem of one invalid row (a row with three problems gives three reject rows, counted as one row).</summary>
internal readonly record struct RejectedRow(long LineNumber, string? Column, string Reason, string? RawText);

/// <summary>A row set aside as a duplicate, with the line that was kept.</summary>
internal readonly record struct DuplicateRow(long LineNumber, string RecordKey, ImportDuplicateKind Kind, long? FirstLineNumber, string? RawText);

/// <summary>
/// Rows read from the file on the reading thread, handed to the writing thread: validated rows with their JSON
/// payloads already encoded, and the problems of invalid rows. Batches are recycled, so their buffers are reused.
/// </summary>
internal sealed class StagingBatch : IDisposable
{
    public const int MaxRows = 2048;
    public const int MaxPayloadBytes = 2 << 20;
    public const int MaxRawText = 4000;

    private static readonly JsonWriterOptions PayloadOptions = new()
    {
        // The payload is read by the merge, never shown in a page: the relaxed encoder keeps non-ASCII letters as
        // they are (smaller, faster) while still escaping what JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> payloads = new(1 << 20);
    private readonly Utf8JsonWriter json;

    public StagingBatch() => json = new Utf8JsonWriter(payloads, PayloadOptions);

    public List<StagedRow> Rows { get; } = new(MaxRows);
    public List<RejectedRow> Rejects { get; } = [];

    /// <summary>Data rows read into this batch (valid and invalid).</summary>
    public int DataRows { get; private set; }

    /// <summary>Rows refused by validation (each may have several reject rows).</summary>
    public int RejectedRows { get; private set; }

    public ReadOnlySpan<byte> Payload(in StagedRow row) => payloads.WrittenSpan.Slice(row.PayloadStart, row.PayloadLength);

    public bool IsFull => DataRows >= MaxRows || payloads.WrittenCount >= MaxPayloadBytes;

    public void Clear()
    {
        Rows.Clear();
        Rejects.Clear();
        payloads.ResetWrittenCount();
        DataRows = 0;
        RejectedRows = 0;
    }

    public void Dispose() => json.Dispose();

    public void Add(DmsRowResult row, string keyField)
    {
        DataRows++;
        var raw = Truncate(row.RawText);
        if (!row.IsValid || row.Values is null || row.Hash is null)
        {
            RejectedRows++;
            if (row.Problems.Count == 0)
            {
                Rejects.Add(new RejectedRow(row.LineNumber, null, "The row could not be read.", raw));
            }

            foreach (var problem in row.Problems)
            {
                Rejects.Add(new RejectedRow(row.LineNumber, ImportNotices.Truncate(problem.Column ?? "", 100) is { Length: > 0 } c ? c : null,
                    ImportNotices.Truncate(problem.Reason, 1000), raw));
            }

            return;
        }

        if (string.IsNullOrEmpty(row.RecordKey))
        {
            RejectedRows++;
            Rejects.Add(new RejectedRow(row.LineNumber, keyField, $"The record key ({keyField}) is missing.", raw));
            return;
        }

        var start = payloads.WrittenCount;
        WritePayload(row.Values);
        Rows.Add(new StagedRow(row.LineNumber, row.RecordKey, row.Hash, start, payloads.WrittenCount - start, raw));
    }

    private void WritePayload(IReadOnlyDictionary<string, string> values)
    {
        json.Reset(payloads);
        json.WriteStartObject();
        foreach (var (field, value) in values)
        {
            json.WriteString(field, value);
        }

        json.WriteEndObject();
        json.Flush();
    }

    private static string Truncate(string text) => text.Length <= MaxRawText ? text : text[..MaxRawText];
}
