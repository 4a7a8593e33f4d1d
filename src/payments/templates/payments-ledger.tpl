{{%AUTOESCAPE context="HTML"}}<p><a href="{{BACK_HREF}}">{{t_payments__void__back}}</a></p>
<h1>{{t_payments__ledger__title}}</h1>
<p class="lead">{{t_payments__ledger__intro}}</p>
<p><a href="{{CSV_HREF}}">{{t_payments__ledger__csv}}</a></p>
{{#EMPTY}}<p>{{t_payments__ledger__empty}}</p>
{{/EMPTY}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="ledger-caption">
<table>
<caption id="ledger-caption">{{t_payments__ledger__title}}</caption>
<thead><tr><th scope="col">{{t_payments__ledger__account_heading}}</th><th scope="col">{{t_payments__ledger__debit}}</th><th scope="col">{{t_payments__ledger__credit}}</th><th scope="col">{{t_payments__ledger__balance}}</th></tr></thead>
<tbody>
{{#ACCOUNT}}<tr><th scope="row">{{ACCOUNT}}</th><td>{{DEBIT}}</td><td>{{CREDIT}}</td><td>{{BALANCE}}</td></tr>
{{/ACCOUNT}}</tbody>
<tfoot>
{{#TOTAL}}<tr><th scope="row">{{t_payments__ledger__total}}</th><td>{{DEBIT}}</td><td>{{CREDIT}}</td><td></td></tr>
{{/TOTAL}}</tfoot>
</table>
</div>
