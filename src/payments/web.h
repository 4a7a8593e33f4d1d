// payments on the web:
//   case pages (cases::Extensions panels): the case's invoices, how to pay them, receipts;
//   GET  /cashier                                 signed in: the cashier's counter page (redirect)
//   GET  /payments                                signed in: a department head's payments page
//   GET  /m/{slug}/cashier                        kTakePayments: the session, finding an invoice
//                                                 by reference (?reference=) and paying it
//   POST /m/{slug}/cashier/open                   opens a session with the cash in the drawer
//   POST /m/{slug}/cashier/pay                    records a cash, cheque or card-terminal payment
//   GET  /m/{slug}/cashier/close, POST ...        closes the session with the cash counted
//   GET  /m/{slug}/cashier/receipts/{number}      the printable receipt
//   GET  /m/{slug}/payments                       kManageDepartment: the day's report (?day=) and
//                                                 its payments, each with a void action
//   GET  /m/{slug}/payments/receipts/{number}/void, POST ...   voids a payment with a reason
//   GET  /account/receipts/{number}               signed in: the payer's own receipt
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/form_schema.h"
#include "platform/module/module.h"
#include "platform/result.h"

namespace baladiya::payments {

// A receipt as printed: its rows of a label and a value, each in both languages.
struct ReceiptPrint {
  int64_t municipality_id = 0;
  catalog::Text title;
  std::string number;
  std::vector<std::pair<catalog::Text, catalog::Text>> rows;
  catalog::Text note;
  int64_t at_ms = 0;
};

// What payments' pages take from modules it does not know, joined by the program (documents
// draws and signs the PDF). Unset: receipts are pages to print, without a PDF.
struct WebExtensions {
  std::function<Result<std::string>(const ReceiptPrint&)> receipt_pdf;
};

// The case-page panels and the account page's links (open phase).
void AddPanels(module::Context& ctx);
// The pages above (routes phase).
void AddPageRoutes(module::Context& ctx);
// The biller API for banks (biller_api.cpp; openapi.json), routes phase.
void AddBillerRoutes(module::Context& ctx);
// Card payments (card_web.cpp), when a provider is configured; routes phase.
void AddCardRoutes(module::Context& ctx);

}  // namespace baladiya::payments
