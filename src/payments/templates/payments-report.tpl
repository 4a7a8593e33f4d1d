{{%AUTOESCAPE context="HTML"}}<h1>{{t_payments__report__title}}</h1>
<p class="lead">{{DAY_TEXT}}</p>
<ul>
<li><a href="{{LEDGER_HREF}}">{{t_payments__report__ledger}}</a></li>
<li><a href="{{RECONCILIATION_HREF}}">{{t_payments__camt__title}}</a></li>
</ul>
{{>FORM}}
<h2>{{t_payments__report__by_method}}</h2>
{{#NO_TOTALS}}<p>{{t_payments__report__no_totals}}</p>
{{/NO_TOTALS}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="totals-caption">
<table>
<caption id="totals-caption">{{t_payments__report__by_method}}</caption>
<thead><tr><th scope="col">{{t_payments__report__method}}</th><th scope="col">{{t_payments__report__count}}</th><th scope="col">{{t_payments__report__total}}</th></tr></thead>
<tbody>
{{#METHOD_TOTAL}}<tr><td>{{METHOD}}</td><td>{{COUNT}}</td><td>{{TOTAL}}</td></tr>
{{/METHOD_TOTAL}}</tbody>
</table>
</div>
<p>{{t_payments__report__voided}} {{VOIDED}}</p>
<h2>{{t_payments__report__sessions}}</h2>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="sessions-caption">
<table>
<caption id="sessions-caption">{{t_payments__report__sessions}}</caption>
<thead><tr><th scope="col">{{t_payments__report__opened}}</th><th scope="col">{{t_payments__session__opening}}</th><th scope="col">{{t_payments__session__expected}}</th><th scope="col">{{t_payments__session__counted}}</th><th scope="col">{{t_payments__session__difference}}</th></tr></thead>
<tbody>
{{#SESSION}}<tr><td>{{OPENED}}</td><td>{{OPENING}}</td><td>{{EXPECTED}}</td><td>{{COUNTED}}</td><td>{{DIFFERENCE}}</td></tr>
{{/SESSION}}</tbody>
</table>
</div>
<h2>{{t_payments__report__payments}}</h2>
{{#NO_PAYMENTS}}<p>{{t_payments__report__no_payments}}</p>
{{/NO_PAYMENTS}}<ul>
{{#PAYMENT}}<li><a href="{{RECEIPT_HREF}}"><bdi dir="ltr">{{RECEIPT}}</bdi></a> (<bdi dir="ltr">{{INVOICE}}</bdi>): {{METHOD}}, {{AMOUNT}}, {{STATE}}{{#CAN_VOID}} · <a href="{{VOID_HREF}}">{{t_payments__report__void}}<span class="visually-hidden"> <bdi dir="ltr">{{RECEIPT}}</bdi></span></a> · <a href="{{REFUND_HREF}}">{{t_payments__report__refund}}<span class="visually-hidden"> <bdi dir="ltr">{{RECEIPT}}</bdi></span></a>{{/CAN_VOID}}</li>
{{/PAYMENT}}</ul>
