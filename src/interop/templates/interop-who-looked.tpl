{{%AUTOESCAPE context="HTML"}}<p><a href="/account">{{t_interop__identity__back}}</a></p>
<h1>{{t_interop__looked__title}}</h1>
<p class="lead">{{t_interop__looked__intro}}</p>
{{#NONE}}<p>{{t_interop__looked__none}}</p>
{{/NONE}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="looked-caption">
<table>
<caption id="looked-caption">{{t_interop__looked__caption}}</caption>
<thead><tr><th scope="col">{{t_interop__looked__when}}</th><th scope="col">{{t_interop__looked__who}}</th><th scope="col">{{t_interop__looked__what}}</th><th scope="col">{{t_interop__looked__why}}</th></tr></thead>
<tbody>
{{#ROW}}<tr><td><time datetime="{{AT_ISO}}">{{AT}}</time></td><td>{{#CLIENT}}<code dir="ltr">{{WHO}}</code>{{/CLIENT}}{{#STAFF}}{{WHO}}{{/STAFF}}</td><td>{{WHAT}}</td><td>{{WHY}}</td></tr>
{{/ROW}}</tbody>
</table>
</div>
<p>{{t_interop__looked__staff_note}}</p>
