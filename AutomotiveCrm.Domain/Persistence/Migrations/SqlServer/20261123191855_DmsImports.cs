using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutomotiveCrm.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DmsImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "SourceFileId",
                table: "Vehicles",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SourceFileId",
                table: "Relationships",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SourceFileId",
                table: "MileageReadings",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DmsProvider",
                table: "Dealers",
                type: "nvarchar(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DedupPendingSince",
                table: "Customers",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SourceFileId",
                table: "Customers",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ImportProfiles",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    NetworkId = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    DmsProvider = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: false),
                    FileType = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Delimiter = table.Column<string>(type: "nvarchar(1)", maxLength: 1, nullable: false),
                    Quote = table.Column<string>(type: "nvarchar(1)", maxLength: 1, nullable: true),
                    Encoding = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    DateFormat = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    DecimalSeparator = table.Column<string>(type: "nvarchar(1)", maxLength: 1, nullable: false),
                    HasHeaderRow = table.Column<bool>(type: "bit", nullable: false),
                    FileNamePattern = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ColumnMap = table.Column<string>(type: "nvarchar(max)", maxLength: 8000, nullable: false),
                    IsActive = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportProfiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportProfiles_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ImportReportSubscriptions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    NetworkId = table.Column<long>(type: "bigint", nullable: false),
                    DealerGroupId = table.Column<long>(type: "bigint", nullable: true),
                    Email = table.Column<string>(type: "nvarchar(254)", maxLength: 254, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportReportSubscriptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportReportSubscriptions_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ImportReportSubscriptions_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ServiceVisits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DealerId = table.Column<long>(type: "bigint", nullable: false),
                    DealerGroupId = table.Column<long>(type: "bigint", nullable: false),
                    CustomerId = table.Column<long>(type: "bigint", nullable: true),
                    VehicleId = table.Column<long>(type: "bigint", nullable: false),
                    VisitDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Mileage = table.Column<int>(type: "int", nullable: true),
                    MileageUnit = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    WorkType = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: true),
                    Description = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    TotalAmount = table.Column<decimal>(type: "decimal(18,2)", precision: 18, scale: 2, nullable: true),
                    DmsRecordId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SourceFileId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceVisits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceVisits_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceVisits_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceVisits_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceVisits_Vehicles_VehicleId",
                        column: x => x.VehicleId,
                        principalTable: "Vehicles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "StockVehicles",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DealerId = table.Column<long>(type: "bigint", nullable: false),
                    DealerGroupId = table.Column<long>(type: "bigint", nullable: false),
                    IsNew = table.Column<bool>(type: "bit", nullable: false),
                    StockNumber = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: false),
                    Vin = table.Column<string>(type: "nvarchar(17)", maxLength: 17, nullable: true),
                    Make = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    Model = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: true),
                    Derivative = table.Column<string>(type: "nvarchar(120)", maxLength: 120, nullable: true),
                    BodyType = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    FuelType = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    Colour = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    ModelYear = table.Column<int>(type: "int", nullable: true),
                    Mileage = table.Column<int>(type: "int", nullable: true),
                    Price = table.Column<decimal>(type: "decimal(18,2)", precision: 18, scale: 2, nullable: true),
                    ArrivedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    SourceFileId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StockVehicles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StockVehicles_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_StockVehicles_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SystemNotifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    NetworkId = table.Column<long>(type: "bigint", nullable: false),
                    DealerGroupId = table.Column<long>(type: "bigint", nullable: true),
                    Category = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Severity = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Message = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Link = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    AcknowledgedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    AcknowledgedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SystemNotifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SystemNotifications_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SystemNotifications_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VehicleSales",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DealerId = table.Column<long>(type: "bigint", nullable: false),
                    DealerGroupId = table.Column<long>(type: "bigint", nullable: false),
                    CustomerId = table.Column<long>(type: "bigint", nullable: false),
                    VehicleId = table.Column<long>(type: "bigint", nullable: false),
                    SaleDate = table.Column<DateOnly>(type: "date", nullable: false),
                    IsNew = table.Column<bool>(type: "bit", nullable: false),
                    Price = table.Column<decimal>(type: "decimal(18,2)", precision: 18, scale: 2, nullable: true),
                    PaymentMethod = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    TradeInVehicleId = table.Column<long>(type: "bigint", nullable: true),
                    RelationshipId = table.Column<long>(type: "bigint", nullable: true),
                    DmsRecordId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SourceFileId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VehicleSales", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VehicleSales_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_VehicleSales_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_VehicleSales_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_VehicleSales_Relationships_RelationshipId",
                        column: x => x.RelationshipId,
                        principalTable: "Relationships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_VehicleSales_Vehicles_TradeInVehicleId",
                        column: x => x.TradeInVehicleId,
                        principalTable: "Vehicles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_VehicleSales_Vehicles_VehicleId",
                        column: x => x.VehicleId,
                        principalTable: "Vehicles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WorkshopBookings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DealerId = table.Column<long>(type: "bigint", nullable: false),
                    DealerGroupId = table.Column<long>(type: "bigint", nullable: false),
                    CustomerId = table.Column<long>(type: "bigint", nullable: true),
                    VehicleId = table.Column<long>(type: "bigint", nullable: true),
                    BookedFor = table.Column<DateTime>(type: "datetime2", nullable: false),
                    WorkType = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: true),
                    Notes = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    DmsRecordId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SourceFileId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkshopBookings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkshopBookings_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WorkshopBookings_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WorkshopBookings_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WorkshopBookings_Vehicles_VehicleId",
                        column: x => x.VehicleId,
                        principalTable: "Vehicles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ImportFiles",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    NetworkId = table.Column<long>(type: "bigint", nullable: false),
                    DealerGroupId = table.Column<long>(type: "bigint", nullable: false),
                    DealerId = table.Column<long>(type: "bigint", nullable: false),
                    FileType = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ProfileId = table.Column<long>(type: "bigint", nullable: true),
                    OriginalName = table.Column<string>(type: "nvarchar(260)", maxLength: 260, nullable: false),
                    StoredName = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    DeliveredBy = table.Column<string>(type: "nvarchar(260)", maxLength: 260, nullable: false),
                    ReprocessOfId = table.Column<long>(type: "bigint", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    StatusReason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    RowsRead = table.Column<long>(type: "bigint", nullable: false),
                    RowsRejected = table.Column<long>(type: "bigint", nullable: false),
                    RowsDuplicate = table.Column<long>(type: "bigint", nullable: false),
                    RowsInserted = table.Column<long>(type: "bigint", nullable: false),
                    RowsUpdated = table.Column<long>(type: "bigint", nullable: false),
                    RowsUnchanged = table.Column<long>(type: "bigint", nullable: false),
                    ProgressRows = table.Column<long>(type: "bigint", nullable: false),
                    MergedThroughStagingId = table.Column<long>(type: "bigint", nullable: false),
                    ArchivePath = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportFiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportFiles_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ImportFiles_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ImportFiles_ImportFiles_ReprocessOfId",
                        column: x => x.ReprocessOfId,
                        principalTable: "ImportFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ImportFiles_ImportProfiles_ProfileId",
                        column: x => x.ProfileId,
                        principalTable: "ImportProfiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ImportFiles_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ServiceLabourLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ServiceVisitId = table.Column<long>(type: "bigint", nullable: false),
                    DmsRecordId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    OperationCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Description = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    Hours = table.Column<decimal>(type: "decimal(9,2)", precision: 9, scale: 2, nullable: true),
                    Amount = table.Column<decimal>(type: "decimal(18,2)", precision: 18, scale: 2, nullable: true),
                    SourceFileId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceLabourLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceLabourLines_ServiceVisits_ServiceVisitId",
                        column: x => x.ServiceVisitId,
                        principalTable: "ServiceVisits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServicePartLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ServiceVisitId = table.Column<long>(type: "bigint", nullable: false),
                    DmsRecordId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    PartNumber = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: true),
                    Description = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    Quantity = table.Column<decimal>(type: "decimal(12,3)", precision: 12, scale: 3, nullable: true),
                    UnitPrice = table.Column<decimal>(type: "decimal(18,2)", precision: 18, scale: 2, nullable: true),
                    Amount = table.Column<decimal>(type: "decimal(18,2)", precision: 18, scale: 2, nullable: true),
                    SourceFileId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServicePartLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServicePartLines_ServiceVisits_ServiceVisitId",
                        column: x => x.ServiceVisitId,
                        principalTable: "ServiceVisits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WorkshopTransactions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DealerId = table.Column<long>(type: "bigint", nullable: false),
                    DealerGroupId = table.Column<long>(type: "bigint", nullable: false),
                    CustomerId = table.Column<long>(type: "bigint", nullable: true),
                    ServiceVisitId = table.Column<long>(type: "bigint", nullable: true),
                    TransactionDate = table.Column<DateOnly>(type: "date", nullable: false),
                    TransactionType = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Amount = table.Column<decimal>(type: "decimal(18,2)", precision: 18, scale: 2, nullable: false),
                    Reference = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    DmsRecordId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SourceFileId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkshopTransactions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkshopTransactions_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WorkshopTransactions_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WorkshopTransactions_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WorkshopTransactions_ServiceVisits_ServiceVisitId",
                        column: x => x.ServiceVisitId,
                        principalTable: "ServiceVisits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DmsRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DealerId = table.Column<long>(type: "bigint", nullable: false),
                    DealerGroupId = table.Column<long>(type: "bigint", nullable: false),
                    RecordType = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    DmsRecordId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    EntityId = table.Column<long>(type: "bigint", nullable: false),
                    RowHash = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    SourceFileId = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DmsRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DmsRecords_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DmsRecords_ImportFiles_SourceFileId",
                        column: x => x.SourceFileId,
                        principalTable: "ImportFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ImportDuplicates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ImportFileId = table.Column<long>(type: "bigint", nullable: false),
                    LineNumber = table.Column<long>(type: "bigint", nullable: false),
                    RecordKey = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    FirstLineNumber = table.Column<long>(type: "bigint", nullable: true),
                    RawText = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportDuplicates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportDuplicates_ImportFiles_ImportFileId",
                        column: x => x.ImportFileId,
                        principalTable: "ImportFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ImportRejects",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ImportFileId = table.Column<long>(type: "bigint", nullable: false),
                    LineNumber = table.Column<long>(type: "bigint", nullable: false),
                    Column = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    RawText = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportRejects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportRejects_ImportFiles_ImportFileId",
                        column: x => x.ImportFileId,
                        principalTable: "ImportFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ImportStaging",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ImportFileId = table.Column<long>(type: "bigint", nullable: false),
                    LineNumber = table.Column<long>(type: "bigint", nullable: false),
                    RecordKey = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RowHash = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Payload = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportStaging", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportStaging_ImportFiles_ImportFileId",
                        column: x => x.ImportFileId,
                        principalTable: "ImportFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_DedupPendingSince",
                table: "Customers",
                column: "DedupPendingSince",
                filter: "\"DedupPendingSince\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_SourceFileId",
                table: "Customers",
                column: "SourceFileId");

            migrationBuilder.CreateIndex(
                name: "IX_DmsRecords_DealerId_RecordType_DmsRecordId",
                table: "DmsRecords",
                columns: new[] { "DealerId", "RecordType", "DmsRecordId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DmsRecords_RecordType_EntityId",
                table: "DmsRecords",
                columns: new[] { "RecordType", "EntityId" });

            migrationBuilder.CreateIndex(
                name: "IX_DmsRecords_SourceFileId",
                table: "DmsRecords",
                column: "SourceFileId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportDuplicates_ImportFileId_LineNumber",
                table: "ImportDuplicates",
                columns: new[] { "ImportFileId", "LineNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportFiles_DealerGroupId_ReceivedAt",
                table: "ImportFiles",
                columns: new[] { "DealerGroupId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportFiles_DealerId_FileType_Sha256",
                table: "ImportFiles",
                columns: new[] { "DealerId", "FileType", "Sha256" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportFiles_NetworkId",
                table: "ImportFiles",
                column: "NetworkId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportFiles_ProfileId",
                table: "ImportFiles",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportFiles_ReprocessOfId",
                table: "ImportFiles",
                column: "ReprocessOfId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportFiles_Status_ReceivedAt",
                table: "ImportFiles",
                columns: new[] { "Status", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportFiles_StoredName",
                table: "ImportFiles",
                column: "StoredName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ImportProfiles_NetworkId_DmsProvider_FileType",
                table: "ImportProfiles",
                columns: new[] { "NetworkId", "DmsProvider", "FileType" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportProfiles_NetworkId_Name",
                table: "ImportProfiles",
                columns: new[] { "NetworkId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ImportRejects_ImportFileId_LineNumber",
                table: "ImportRejects",
                columns: new[] { "ImportFileId", "LineNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportReportSubscriptions_DealerGroupId",
                table: "ImportReportSubscriptions",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportReportSubscriptions_NetworkId_DealerGroupId_Email",
                table: "ImportReportSubscriptions",
                columns: new[] { "NetworkId", "DealerGroupId", "Email" },
                unique: true,
                filter: "[DealerGroupId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ImportStaging_ImportFileId_RecordKey",
                table: "ImportStaging",
                columns: new[] { "ImportFileId", "RecordKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ServiceLabourLines_ServiceVisitId",
                table: "ServiceLabourLines",
                column: "ServiceVisitId");

            migrationBuilder.CreateIndex(
                name: "IX_ServicePartLines_ServiceVisitId",
                table: "ServicePartLines",
                column: "ServiceVisitId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceVisits_CustomerId_VisitDate",
                table: "ServiceVisits",
                columns: new[] { "CustomerId", "VisitDate" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceVisits_DealerGroupId_VisitDate",
                table: "ServiceVisits",
                columns: new[] { "DealerGroupId", "VisitDate" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceVisits_DealerId",
                table: "ServiceVisits",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceVisits_SourceFileId",
                table: "ServiceVisits",
                column: "SourceFileId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceVisits_VehicleId_VisitDate",
                table: "ServiceVisits",
                columns: new[] { "VehicleId", "VisitDate" });

            migrationBuilder.CreateIndex(
                name: "IX_StockVehicles_DealerGroupId",
                table: "StockVehicles",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_StockVehicles_DealerId_IsNew_StockNumber",
                table: "StockVehicles",
                columns: new[] { "DealerId", "IsNew", "StockNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StockVehicles_Vin",
                table: "StockVehicles",
                column: "Vin");

            migrationBuilder.CreateIndex(
                name: "IX_SystemNotifications_DealerGroupId",
                table: "SystemNotifications",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_SystemNotifications_NetworkId_AcknowledgedAt_CreatedAt",
                table: "SystemNotifications",
                columns: new[] { "NetworkId", "AcknowledgedAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_VehicleSales_CustomerId_SaleDate",
                table: "VehicleSales",
                columns: new[] { "CustomerId", "SaleDate" });

            migrationBuilder.CreateIndex(
                name: "IX_VehicleSales_DealerGroupId_SaleDate",
                table: "VehicleSales",
                columns: new[] { "DealerGroupId", "SaleDate" });

            migrationBuilder.CreateIndex(
                name: "IX_VehicleSales_DealerId",
                table: "VehicleSales",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_VehicleSales_RelationshipId",
                table: "VehicleSales",
                column: "RelationshipId");

            migrationBuilder.CreateIndex(
                name: "IX_VehicleSales_TradeInVehicleId",
                table: "VehicleSales",
                column: "TradeInVehicleId");

            migrationBuilder.CreateIndex(
                name: "IX_VehicleSales_VehicleId",
                table: "VehicleSales",
                column: "VehicleId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopBookings_CustomerId",
                table: "WorkshopBookings",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopBookings_DealerGroupId",
                table: "WorkshopBookings",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopBookings_DealerId_BookedFor",
                table: "WorkshopBookings",
                columns: new[] { "DealerId", "BookedFor" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopBookings_VehicleId",
                table: "WorkshopBookings",
                column: "VehicleId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopTransactions_CustomerId",
                table: "WorkshopTransactions",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopTransactions_DealerGroupId",
                table: "WorkshopTransactions",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopTransactions_DealerId_TransactionDate",
                table: "WorkshopTransactions",
                columns: new[] { "DealerId", "TransactionDate" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopTransactions_ServiceVisitId",
                table: "WorkshopTransactions",
                column: "ServiceVisitId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DmsRecords");

            migrationBuilder.DropTable(
                name: "ImportDuplicates");

            migrationBuilder.DropTable(
                name: "ImportRejects");

            migrationBuilder.DropTable(
                name: "ImportReportSubscriptions");

            migrationBuilder.DropTable(
                name: "ImportStaging");

            migrationBuilder.DropTable(
                name: "ServiceLabourLines");

            migrationBuilder.DropTable(
                name: "ServicePartLines");

            migrationBuilder.DropTable(
                name: "StockVehicles");

            migrationBuilder.DropTable(
                name: "SystemNotifications");

            migrationBuilder.DropTable(
                name: "VehicleSales");

            migrationBuilder.DropTable(
                name: "WorkshopBookings");

            migrationBuilder.DropTable(
                name: "WorkshopTransactions");

            migrationBuilder.DropTable(
                name: "ImportFiles");

            migrationBuilder.DropTable(
                name: "ServiceVisits");

            migrationBuilder.DropTable(
                name: "ImportProfiles");

            migrationBuilder.DropIndex(
                name: "IX_Customers_DedupPendingSince",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_SourceFileId",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "SourceFileId",
                table: "Vehicles");

            migrationBuilder.DropColumn(
                name: "SourceFileId",
                table: "Relationships");

            migrationBuilder.DropColumn(
                name: "SourceFileId",
                table: "MileageReadings");

            migrationBuilder.DropColumn(
                name: "DmsProvider",
                table: "Dealers");

            migrationBuilder.DropColumn(
                name: "DedupPendingSince",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "SourceFileId",
                table: "Customers");
        }
    }
}
