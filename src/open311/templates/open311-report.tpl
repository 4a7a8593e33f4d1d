{{%AUTOESCAPE context="HTML"}}<p><a href="{{LIST_HREF}}">{{t_reports__back}}</a></p>
<h1>{{HEADING}} <bdi dir="ltr">{{TRACKING}}</bdi></h1>
<dl class="contact">
<dt>{{t_reports__category}}</dt><dd>{{SERVICE}}</dd>
<dt>{{t_reports__status}}</dt><dd><strong>{{STATUS}}</strong></dd>
<dt>{{t_reports__filed}}</dt><dd>{{FILED}}</dd>
<dt>{{t_reports__updated}}</dt><dd>{{UPDATED}}</dd>
{{#HAS_EXPECTED}}<dt>{{t_reports__expected}}</dt><dd>{{EXPECTED}}</dd>
{{/HAS_EXPECTED}}{{#HAS_ADDRESS}}<dt>{{t_reports__address}}</dt><dd><bdi>{{ADDRESS}}</bdi></dd>
{{/HAS_ADDRESS}}{{#HAS_COORDINATES}}<dt>{{t_reports__coordinates}}</dt><dd dir="ltr">{{COORDINATES}}</dd>
{{/HAS_COORDINATES}}{{#LOCATION_MISSING}}<dt>{{t_reports__location}}</dt><dd>{{NO_LOCATION}}</dd>
{{/LOCATION_MISSING}}{{#HAS_MEDIA}}<dt>{{t_reports__media}}</dt><dd><a href="{{MEDIA_URL}}" rel="nofollow noopener noreferrer ugc" dir="ltr">{{MEDIA_URL}}</a></dd>
{{/HAS_MEDIA}}</dl>
{{#HAS_MAP}}<div data-map-points="{{POINTS}}"></div>
{{/HAS_MAP}}
<h2>{{t_reports__description}}</h2>
{{#HAS_DESCRIPTION}}<p class="user-text" dir="auto">{{DESCRIPTION}}</p>
{{/HAS_DESCRIPTION}}{{#NO_DESCRIPTION}}<p>{{NO_TEXT}}</p>
{{/NO_DESCRIPTION}}<h2>{{t_reports__history}}</h2>
<ol class="history">
{{#EVENT}}<li><time datetime="{{WHEN_ISO}}">{{WHEN}}</time>: {{TEXT}}</li>
{{/EVENT}}</ol>
